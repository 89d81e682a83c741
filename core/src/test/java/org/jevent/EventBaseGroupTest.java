package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jevent.listener.AcceptHandoff;
import org.jevent.listener.ConnListener;
import org.jevent.listener.ConnectionHandler;
import org.jevent.listener.ReusePortServer;
import org.jevent.net.StreamSocket;

/** {@link EventBaseGroup}, its task queues and both server models, once per backend. */
class EventBaseGroupTest {
    private static final InetSocketAddress LOCAL4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final int CONNECTIONS = 1000;
    /** select cannot watch descriptors from 1024 on, and this process holds both ends. */
    private static final int SELECT_CONNECTIONS = 400;

    private static EventBaseGroup group(String method, int size) {
        return EventBaseGroup.start(size, EventBaseConfig.builder().method(method).ignoreEnvironment().build());
    }

    @AllBackends
    void tasksRunOnTheirLoopInTheOrderEachProducerGaveThem(String method) throws Exception {
        long fdsBefore = Harness.openFds();
        int producers = 4, perProducer = 10_000;
        try (EventBaseGroup group = group(method, 2)) {
            EventLoop loop = group.loop(1);
            int[] lastSeen = new int[producers];
            AtomicReference<String> failure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(producers * perProducer);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 1; i <= perProducer; i++) {
                        int seq = i;
                        loop.execute(() -> {
                            // Only the loop thread touches lastSeen: no synchronisation needed.
                            if (!loop.inLoop()) failure.set("task ran on " + Thread.currentThread().getName());
                            if (lastSeen[producer] != seq - 1) failure.set("producer " + producer + " out of order");
                            lastSeen[producer] = seq;
                            done.countDown();
                        });
                    }
                }));
            }
            for (Thread t : threads) t.join();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(failure.get()).isNull();
            assertThat(group.shutdownGracefully(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(Harness.openFds()).as("open descriptors").isEqualTo(fdsBefore);
    }

    @AllBackends
    void nextGoesRoundRobinAndLoopsRunOnNamedThreads(String method) throws Exception {
        try (EventBaseGroup group = group(method, 3)) {
            for (int i = 0; i < 7; i++) assertThat(group.next().index()).isEqualTo(i % 3);
            CompletableFuture<String> name = new CompletableFuture<>();
            group.loop(2).execute(() -> name.complete(Thread.currentThread().getName()));
            assertThat(name.get(5, TimeUnit.SECONDS)).isEqualTo("jevent-loop-2");
            assertThat(group.loop(2).base().method()).isEqualTo(method);
        }
    }

    @AllBackends
    void executeAfterShutdownIsRejected(String method) {
        EventBaseGroup group = group(method, 2);
        assertThat(group.shutdownGracefully(Duration.ofSeconds(5))).isTrue();
        assertThat(group.isShutdown()).isTrue();
        assertThatThrownBy(() -> group.loop(0).execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
        assertThat(group.loop(0).base().isClosed()).isTrue();
    }

    @AllBackends
    void acceptHandoffEchoesOnAThousandConnections(String method) throws Exception {
        long fdsBefore = Harness.openFds();
        int connections = method.equals("select") ? SELECT_CONNECTIONS : CONNECTIONS;
        AtomicIntegerArray perLoop = new AtomicIntegerArray(4);
        CountDownLatch closed = new CountDownLatch(connections);
        try (EventBaseGroup group = group(method, 4)) {
            AcceptHandoff server = AcceptHandoff.bind(group, LOCAL4, ConnListener.REUSEABLE, 1024,
                    echo(perLoop, closed));
            echoThroughAll(server.localAddress(), connections, closed);
            // Round-robin: every loop got exactly its share.
            for (int i = 0; i < 4; i++) assertThat(perLoop.get(i)).isEqualTo(connections / 4);
            assertThat(group.shutdownGracefully(Duration.ofSeconds(5))).isTrue();
            assertThat(server.listener().getSocket().isOpen()).isFalse();
        }
        assertThat(Harness.openFds()).as("open descriptors").isEqualTo(fdsBefore);
    }

    @AllBackends
    void reusePortServerEchoesOnAThousandConnections(String method) throws Exception {
        long fdsBefore = Harness.openFds();
        int connections = method.equals("select") ? SELECT_CONNECTIONS : CONNECTIONS;
        AtomicIntegerArray perLoop = new AtomicIntegerArray(4);
        CountDownLatch closed = new CountDownLatch(connections);
        try (EventBaseGroup group = group(method, 4)) {
            ReusePortServer server = ReusePortServer.bind(group, LOCAL4, ConnListener.REUSEABLE, 1024,
                    echo(perLoop, closed));
            echoThroughAll(server.localAddress(), connections, closed);
            // The kernel spreads connections by a hash of the addresses: every loop gets some.
            for (int i = 0; i < 4; i++) assertThat(perLoop.get(i)).isPositive();
            assertThat(group.shutdownGracefully(Duration.ofSeconds(5))).isTrue();
            for (int i = 0; i < 4; i++) assertThat(server.listener(i).getSocket().isOpen()).isFalse();
        }
        assertThat(Harness.openFds()).as("open descriptors").isEqualTo(fdsBefore);
    }

    /** Opens all connections first, then sends each its own message and checks the echo. */
    private static void echoThroughAll(SocketAddress server, int connections, CountDownLatch closed) throws Exception {
        List<SocketChannel> clients = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) clients.add(nonBlocking(SocketChannel.open(server)));
            for (int i = 0; i < connections; i++) {
                clients.get(i).write(ByteBuffer.wrap(("hello " + i).getBytes(StandardCharsets.US_ASCII)));
            }
            for (int i = 0; i < connections; i++) {
                byte[] expected = ("hello " + i).getBytes(StandardCharsets.US_ASCII);
                ByteBuffer reply = ByteBuffer.allocate(expected.length);
                while (reply.hasRemaining()) assertThat(read(clients.get(i), reply)).isNotNegative();
                assertThat(reply.array()).isEqualTo(expected);
            }
        } finally {
            for (SocketChannel c : clients) c.close();
        }
        assertThat(closed.await(10, TimeUnit.SECONDS)).as("server side closed every connection").isTrue();
    }

    /** An echo server on raw events: what it reads it writes back; at end of stream it closes. */
    private static ConnectionHandler echo(AtomicIntegerArray perLoop, CountDownLatch closed) {
        return (loop, socket, peer) -> {
            perLoop.incrementAndGet(loop.index());
            ByteBuffer buf = ByteBuffer.allocate(64);
            loop.base().newEvent(socket, Event.READ | Event.PERSIST, (e, what) -> {
                try {
                    buf.clear();
                    int n = socket.read(buf);
                    if (n < 0) {
                        e.close();
                        socket.close();
                        closed.countDown();
                    } else if (n > 0) {
                        buf.flip();
                        // A few bytes into an empty send buffer: always written whole.
                        assertThat(socket.write(buf)).isEqualTo(n);
                    }
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }).add();
        };
    }

    /** Sends {@code size} bytes on each connection as the socket accepts them, then closes it. */
    private static ConnectionHandler bulkWriter(int size, Queue<StreamSocket> open, CountDownLatch started) {
        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        return (loop, socket, peer) -> {
            open.add(socket);
            ByteBuffer left = payload.duplicate();
            loop.base().newEvent(socket, Event.WRITE | Event.PERSIST, (e, what) -> {
                try {
                    socket.write(left);
                    if (!left.hasRemaining()) {
                        e.close();
                        socket.close();
                        open.remove(socket);
                    }
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }).add();
            started.countDown();
        };
    }

    @AllBackends
    void gracefulShutdownStopsAcceptingAndFinishesWritesInFlight(String method) throws Exception {
        long fdsBefore = Harness.openFds();
        int clients = 4, size = 16 << 20; // more than the socket buffers hold
        Queue<StreamSocket> open = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(clients);
        List<SocketChannel> channels = new ArrayList<>();
        try (EventBaseGroup group = group(method, 2)) {
            AcceptHandoff server = AcceptHandoff.bind(group, LOCAL4, 0, -1, bulkWriter(size, open, started));
            for (int i = 0; i < clients; i++) channels.add(nonBlocking(SocketChannel.open(server.localAddress())));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Boolean> shutdown =
                    CompletableFuture.supplyAsync(() -> group.shutdownGracefully(Duration.ofSeconds(30)));
            waitUntilClosed(server);
            assertThat(shutdown).as("shutdown waits for the writes").isNotDone();

            ByteBuffer sink = ByteBuffer.allocateDirect(1 << 16);
            for (SocketChannel c : channels) {
                long received = 0;
                for (int n; (n = read(c, sink.clear())) >= 0; ) received += n;
                assertThat(received).isEqualTo(size);
            }
            assertThat(shutdown.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(open).isEmpty();
        } finally {
            for (SocketChannel c : channels) c.close();
        }
        assertThat(Harness.openFds()).as("open descriptors").isEqualTo(fdsBefore);
    }

    @AllBackends
    void shutdownBreaksLoopsStillBusyAfterTheTimeout(String method) throws Exception {
        long fdsBefore = Harness.openFds();
        Queue<StreamSocket> open = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(1);
        try (EventBaseGroup group = group(method, 2);
             SocketChannel client = SocketChannel.open(
                     AcceptHandoff.bind(group, LOCAL4, 0, -1, bulkWriter(16 << 20, open, started)).localAddress())) {
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            long begin = System.nanoTime();
            assertThat(group.shutdownGracefully(Duration.ofMillis(200))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
            for (int i = 0; i < 2; i++) assertThat(group.loop(i).base().isClosed()).isTrue();
            // The unfinished connection is still the handler's to close.
            assertThat(open).hasSize(1);
            for (StreamSocket s : open) s.close();
        }
        assertThat(Harness.openFds()).as("open descriptors").isEqualTo(fdsBefore);
    }

    private static SocketChannel nonBlocking(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        return channel;
    }

    /** Reads what arrives within 10 s: bytes read, or -1 at end of stream. */
    private static int read(SocketChannel channel, ByteBuffer dst) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int n;
        while ((n = channel.read(dst)) == 0) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("nothing received within 10 s");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return n;
    }

    private static void waitUntilClosed(AcceptHandoff server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.listener().getSocket().isOpen()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("listener still open");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
