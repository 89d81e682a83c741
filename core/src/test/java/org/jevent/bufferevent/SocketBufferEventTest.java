package org.jevent.bufferevent;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jevent.bufferevent.BufferEvent.CLOSE_ON_FREE;
import static org.jevent.bufferevent.BufferEvent.CONNECTED;
import static org.jevent.bufferevent.BufferEvent.EOF;
import static org.jevent.bufferevent.BufferEvent.ERROR;
import static org.jevent.bufferevent.BufferEvent.READ;
import static org.jevent.bufferevent.BufferEvent.READING;
import static org.jevent.bufferevent.BufferEvent.TIMEOUT;
import static org.jevent.bufferevent.BufferEvent.WRITE;
import static org.jevent.bufferevent.BufferEvent.WRITING;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.jevent.AllBackends;
import org.jevent.Allocation;
import org.jevent.Event;
import org.jevent.buffer.EvBuffer;
import org.jevent.net.ServerSocket;
import org.jevent.net.StreamSocket;

/** Socket bufferevents on every backend, modelled on libevent's regress bufferevent group. */
class SocketBufferEventTest {

    /** The echo the benchmarks measure: the read callback moves the input to the output. */
    static SocketBufferEvent echo(World w, StreamSocket s) {
        SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, s, CLOSE_ON_FREE));
        bev.setCallbacks(b -> b.getOutput().addBuffer(b.getInput()), null, (b, events, error) -> b.close());
        bev.enable(READ);
        return bev;
    }

    /**
     * Memory per connection (issue 5): a bufferevent with its two buffers is a few hundred
     * bytes, its own hooks building no callback list (which would add over 200). Measured
     * without a socket, so that the loop's events, not ours, are left out.
     */
    @AllBackends
    void aBufferEventAndItsBuffersTakeFewBytes(String method) {
        try (World w = new World(method)) {
            int n = 1000;
            SocketBufferEvent[] made = new SocketBufferEvent[n];
            BufferEvent.socket(w.base, null, 0).close(); // classes loaded and linked first
            long bytes = Allocation.bytes(() -> {
                for (int i = 0; i < n; i++) made[i] = BufferEvent.socket(w.base, null, 0);
            });
            for (SocketBufferEvent b : made) b.close();
            assertThat(bytes / n).as("bytes per bufferevent").isLessThanOrEqualTo(320);
        }
    }

    @AllBackends
    void echoesManyMessagesOverASocketPair(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent server = echo(w, s[1]);
            SocketBufferEvent client = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            int rounds = 1000;
            byte[] message = "hello, bufferevent".getBytes(US_ASCII);
            int[] round = {0};
            client.setCallbacks(b -> {
                EvBuffer in = b.getInput();
                if (in.length() < message.length) return;
                byte[] got = new byte[message.length];
                in.remove(got);
                assertThat(got).isEqualTo(message);
                if (++round[0] == rounds) {
                    w.stop();
                } else {
                    b.write(message);
                }
            }, null, null);
            client.enable(READ);
            client.write(message);
            w.run();
            assertThat(round[0]).isEqualTo(rounds);
            client.close();
            server.close();
        }
    }

    @AllBackends
    void transfers100MegabytesIntact(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            long total = 100L << 20;
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) (i * 31 + (i >> 8));
            CRC32 sent = new CRC32();
            CRC32 received = new CRC32();
            long[] counts = {0, 0}; // sent, received
            SocketBufferEvent sender = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            sender.setWatermark(WRITE, 256 * 1024, 0);
            DataCallback refill = b -> {
                while (counts[0] < total && b.getOutput().length() < 512 * 1024) {
                    chunk[(int) (counts[0] / chunk.length) % chunk.length] ^= 0x5a; // vary the data
                    sent.update(chunk);
                    b.write(chunk);
                    counts[0] += chunk.length;
                }
            };
            sender.setCallbacks(null, refill, null);
            SocketBufferEvent receiver = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE));
            byte[] scratch = new byte[64 * 1024];
            receiver.setCallbacks(b -> {
                int n;
                while ((n = b.read(scratch, 0, scratch.length)) > 0) {
                    received.update(scratch, 0, n);
                    counts[1] += n;
                }
                if (counts[1] == total) w.stop();
            }, null, null);
            receiver.enable(READ);
            refill.onData(sender);
            w.run();
            assertThat(counts[1]).isEqualTo(total);
            assertThat(received.getValue()).isEqualTo(sent.getValue());
            sender.close();
            receiver.close();
        }
    }

    @AllBackends
    void readHighWatermarkPausesReadingAndBoundsMemory(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            long total = 4L << 20;
            long high = 16 * 1024;
            SocketBufferEvent sender = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            sender.write(ByteBuffer.allocate((int) total));
            SocketBufferEvent slow = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE));
            slow.setWatermark(READ, 0, high);
            long[] received = {0};
            long[] maxInput = {0};
            int[] pauses = {0};
            slow.setCallbacks(b -> {
                maxInput[0] = Math.max(maxInput[0], b.getInput().length());
                if (b.getInput().length() < high) return;
                // Full: reading is paused now. Drain a little later; meanwhile nothing arrives.
                pauses[0]++;
                long seen = b.getInput().length();
                w.base.once(null, Event.TIMEOUT, Duration.ofMillis(2), (e, what) -> {
                    assertThat(b.getInput().length()).as("input while paused").isEqualTo(seen);
                    received[0] += seen;
                    b.getInput().drain(seen);
                    if (received[0] == total) w.stop();
                });
            }, null, null);
            slow.enable(READ);
            w.run();
            assertThat(received[0]).isEqualTo(total);
            assertThat(maxInput[0]).as("largest input").isLessThanOrEqualTo(high);
            assertThat(pauses[0]).isGreaterThanOrEqualTo((int) (total / high));
            sender.close();
            slow.close();
        }
    }

    @AllBackends
    void readLowWatermarkGatesTheReadCallback(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE));
            bev.setWatermark(READ, 10, 0);
            List<Long> seen = new ArrayList<>();
            bev.setCallbacks(b -> {
                seen.add(b.getInput().length());
                w.stop();
            }, null, null);
            bev.enable(READ);
            // 3 bytes every 5 ms: the callback waits for 12 >= 10 bytes, not the first 3.
            Event feeder = w.base.newTimer((e, what) -> {
                try {
                    assertThat(s[0].write(ByteBuffer.wrap(new byte[3]))).isEqualTo(3);
                } catch (IOException ex) {
                    throw new AssertionError(ex);
                }
                e.add(Duration.ofMillis(5));
            });
            feeder.add(Duration.ofMillis(5));
            w.run();
            feeder.close();
            assertThat(seen).containsExactly(12L);
            bev.close();
        }
    }

    @AllBackends
    void readTimeoutFiresAndDisablesReading(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE));
            int[] what = {0};
            long start = System.nanoTime();
            long[] elapsed = {0};
            bev.setCallbacks(null, null, (b, events, error) -> {
                what[0] = events;
                elapsed[0] = System.nanoTime() - start;
                w.stop();
            });
            bev.setTimeouts(Duration.ofMillis(50), null);
            bev.enable(READ);
            w.run();
            assertThat(what[0]).isEqualTo(READING | TIMEOUT);
            assertThat(elapsed[0]).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
            assertThat(bev.enabled() & READ).as("reading disabled").isZero();
            bev.close();
        }
    }

    @AllBackends
    void writeTimeoutFiresWhenThePeerDoesNotRead(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            int[] what = {0};
            bev.setCallbacks(null, null, (b, events, error) -> {
                what[0] = events;
                w.stop();
            });
            bev.setTimeouts(null, Duration.ofMillis(50));
            bev.write(ByteBuffer.allocate(16 << 20)); // more than the socket buffers take
            w.run();
            assertThat(what[0]).isEqualTo(WRITING | TIMEOUT);
            assertThat(bev.enabled() & WRITE).as("writing disabled").isZero();
            assertThat(bev.getOutput().length()).isPositive();
            bev.close();
        }
    }

    @AllBackends
    void halfCloseGivesEofWhileWritingGoesOn(String method) throws IOException {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE));
            int[] what = {0};
            bev.setCallbacks(null, null, (b, events, error) -> {
                what[0] = events;
                b.write("still here".getBytes(US_ASCII));
                w.stop();
            });
            bev.enable(READ);
            s[0].shutdownOutput();
            w.run();
            assertThat(what[0]).isEqualTo(READING | EOF);
            assertThat(bev.enabled()).isEqualTo(WRITE);
            ByteBuffer got = ByteBuffer.allocate(32);
            assertThat(s[0].read(got)).isEqualTo(10); // written through at once
            assertThat(new String(got.array(), 0, 10, US_ASCII)).isEqualTo("still here");
            bev.close();
        }
    }

    @AllBackends
    void peerResetMidWriteGivesWriteError(String method) throws IOException {
        try (World w = new World(method)) {
            ServerSocket listener = w.listener();
            SocketBufferEvent bev = w.track(BufferEvent.connect(w.base, listener.localAddress(), CLOSE_ON_FREE));
            int[] what = {0};
            IOException[] cause = {null};
            bev.setCallbacks(null, null, (b, events, error) -> {
                if (events == CONNECTED) {
                    try {
                        StreamSocket peer = w.closeLater(listener.accept());
                        peer.setOption(StandardSocketOptions.SO_LINGER, 0);
                        peer.close(); // RST
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                    b.write(ByteBuffer.allocate(16 << 20));
                    return;
                }
                what[0] = events;
                cause[0] = error;
                w.stop();
            });
            w.run();
            assertThat(what[0]).isEqualTo(WRITING | ERROR);
            assertThat(cause[0]).isNotNull();
            assertThat(bev.enabled() & WRITE).isZero();
            bev.close();
        }
    }

    @AllBackends
    void connectsAndEchoes(String method) throws IOException {
        try (World w = new World(method)) {
            ServerSocket listener = w.listener();
            SocketBufferEvent client = w.track(BufferEvent.connect(w.base, listener.localAddress(), CLOSE_ON_FREE));
            client.write("ping".getBytes(US_ASCII)); // sent once connected
            SocketBufferEvent[] server = {null};
            List<Integer> events = new ArrayList<>();
            client.setCallbacks(b -> {
                if (b.getInput().length() == 4) w.stop();
            }, null, (b, what, error) -> {
                events.add(what);
                try {
                    server[0] = echo(w, listener.accept());
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            client.enable(READ);
            w.run();
            assertThat(events).containsExactly(CONNECTED);
            byte[] got = new byte[4];
            client.read(got, 0, 4);
            assertThat(new String(got, US_ASCII)).isEqualTo("ping");
            client.close();
            server[0].close();
        }
    }

    @AllBackends
    void refusedConnectGivesError(String method) throws IOException {
        try (World w = new World(method)) {
            ServerSocket gone = w.base.net().listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    org.jevent.net.ListenOptions.defaults());
            var address = gone.localAddress();
            gone.close();
            SocketBufferEvent bev = w.track(BufferEvent.connect(w.base, address, CLOSE_ON_FREE));
            int[] what = {0};
            IOException[] cause = {null};
            bev.setCallbacks(null, null, (b, events, error) -> {
                what[0] = events;
                cause[0] = error;
                w.stop();
            });
            w.run();
            assertThat(what[0]).isEqualTo(ERROR);
            assertThat(cause[0]).isNotNull();
            bev.close();
        }
    }

    @AllBackends
    void connectsToLocalhostByName(String method) throws IOException {
        try (World w = new World(method)) {
            ServerSocket listener = w.listener(InetAddress.getAllByName("localhost")[0]);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, null, CLOSE_ON_FREE));
            int[] what = {0};
            bev.setCallbacks(null, null, (b, events, error) -> {
                what[0] = events;
                w.stop();
            });
            bev.connectHostname("localhost", port);
            w.run();
            assertThat(what[0]).isEqualTo(CONNECTED);
            w.closeLater(listener.accept());
            bev.close();
        }
    }

    @AllBackends
    void failedLookupGivesErrorAndKeepsTheCause(String method) {
        try (World w = new World(method)) {
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, null, CLOSE_ON_FREE));
            int[] what = {0};
            bev.setCallbacks(null, null, (b, events, error) -> {
                what[0] = events;
                w.stop();
            });
            CompletableFuture<List<InetAddress>> never = new CompletableFuture<>();
            bev.connectHostname("no.such.host.invalid", 80, host -> never);
            // The answer comes from another thread, later.
            Thread.ofVirtual().start(() -> never.completeExceptionally(new java.net.UnknownHostException("no.such.host.invalid")));
            w.run();
            assertThat(what[0]).isEqualTo(ERROR);
            assertThat(bev.lookupError()).isInstanceOf(java.net.UnknownHostException.class);
            bev.close();
        }
    }

    @AllBackends
    void closingFromInsideTheReadCallbackIsSafe(String method) throws IOException {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE));
            int[] calls = {0};
            bev.setCallbacks(b -> {
                calls[0]++;
                b.getOutput().addBuffer(b.getInput()); // pending write-through, then closed
                b.close();
                w.base.once(null, Event.TIMEOUT, Duration.ofMillis(20), (e, what) -> w.stop());
            }, null, null);
            bev.enable(READ);
            s[0].write(ByteBuffer.wrap("bye".getBytes(US_ASCII)));
            w.run();
            assertThat(calls[0]).isEqualTo(1);
            assertThat(bev.socket().isOpen()).isFalse();
        }
    }

    @AllBackends
    void replacingTheSocketMovesIoToTheNewOne(String method) throws IOException {
        try (World w = new World(method)) {
            StreamSocket[] first = w.socketPair();
            StreamSocket[] second = w.socketPair();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, first[1], CLOSE_ON_FREE));
            List<String> got = new ArrayList<>();
            bev.setCallbacks(b -> {
                byte[] data = new byte[(int) b.getInput().length()];
                b.read(data, 0, data.length);
                got.add(new String(data, US_ASCII));
                if (got.size() == 1) {
                    try {
                        ((SocketBufferEvent) b).replaceSocket(second[1]);
                        second[0].write(ByteBuffer.wrap("two".getBytes(US_ASCII)));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                } else {
                    w.stop();
                }
            }, null, null);
            bev.enable(READ);
            first[0].write(ByteBuffer.wrap("one".getBytes(US_ASCII)));
            w.run();
            assertThat(got).containsExactly("one", "two");
            assertThat(first[1].isOpen()).as("old socket closed (CLOSE_ON_FREE)").isFalse();
            assertThat(bev.socket()).isSameAs(second[1]);
            bev.close();
        }
    }

    @AllBackends
    void flushFinishedShutsTheSendingSideAfterTheOutputDrains(String method) throws IOException {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent sender = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            SocketBufferEvent receiver = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE));
            long total = 4L << 20;
            sender.write(ByteBuffer.allocate((int) total));
            sender.flush(WRITE, FlushMode.FINISHED);
            long[] received = {0};
            int[] what = {0};
            receiver.setCallbacks(b -> {
                received[0] += b.getInput().length();
                b.getInput().drain(b.getInput().length());
            }, null, (b, events, error) -> {
                what[0] = events;
                w.stop();
            });
            receiver.enable(READ);
            w.run();
            assertThat(received[0]).isEqualTo(total);
            assertThat(what[0]).isEqualTo(READING | EOF);
            sender.close();
            receiver.close();
        }
    }

    @AllBackends
    void threadsafeWritesFromAnotherThreadArrive(String method) throws Exception {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent server = echo(w, s[1]);
            SocketBufferEvent client = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE | BufferEvent.THREADSAFE));
            int writers = 4;
            int perWriter = 500;
            byte[] record = "0123456789abcdef".getBytes(US_ASCII);
            long expected = (long) writers * perWriter * record.length;
            client.setCallbacks(b -> {
                if (b.getInput().length() == expected) w.stop();
            }, null, null);
            client.enable(READ);
            AtomicInteger failures = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < perWriter; i++) client.write(record);
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }));
            }
            w.run();
            for (Thread t : threads) t.join();
            assertThat(failures).hasValue(0);
            EvBuffer in = client.getInput();
            byte[] got = new byte[record.length];
            while (in.length() > 0) { // records from different threads never interleave
                in.remove(got);
                assertThat(got).isEqualTo(record);
            }
            client.close();
            server.close();
        }
    }
}
