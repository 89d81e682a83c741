package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jevent.internal.linux.SocketCalls;
import org.jevent.listener.ConnListener;
import org.jevent.net.Errno;
import org.jevent.net.ErrnoException;
import org.jevent.net.ListenOptions;
import org.jevent.net.ServerSocket;
import org.jevent.net.StreamSocket;

/** {@link ConnListener} on every backend (libevent's "listener" regress group and more). */
class ConnListenerTest {
    private static final InetSocketAddress LOCAL4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** What the accept callback saw. */
    private static final class Accepted {
        final List<StreamSocket> sockets = new ArrayList<>();
        final List<SocketAddress> peers = new ArrayList<>();

        void closeAll() throws IOException {
            for (StreamSocket s : sockets) s.close();
        }
    }

    /** Runs the loop until a callback breaks it, or 5 s pass. */
    private static void runUntilBroken(Harness h) {
        Event guard = h.base.newTimer((e, w) -> h.base.loopBreak());
        guard.add(Duration.ofSeconds(5));
        h.base.dispatch();
        guard.close();
    }

    /** Runs the loop for {@code d}: long enough for anything ready to be handled. */
    private static void runFor(Harness h, Duration d) {
        Event guard = h.base.newTimer((e, w) -> h.base.loopBreak());
        guard.add(d);
        h.base.dispatch();
        guard.close();
    }

    /**
     * Connects a client, has the listener accept it (and disable itself, so that the loop can
     * end), checks bytes flow both ways, then closes the listener.
     */
    private static void roundTrip(Harness h, ConnListener listener) throws IOException {
        Accepted accepted = new Accepted();
        listener.setCallback((l, socket, peer) -> {
            accepted.sockets.add(socket);
            accepted.peers.add(peer);
            l.disable();
            h.base.loopBreak();
        });
        try (SocketChannel client = SocketChannel.open(listener.getSocket().localAddress())) {
            client.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            runUntilBroken(h);
            assertThat(accepted.sockets).hasSize(1);
            if (client.getLocalAddress() instanceof InetSocketAddress local) {
                assertThat(accepted.peers.getFirst()).isEqualTo(local);
            }
            StreamSocket server = accepted.sockets.getFirst();
            ByteBuffer in = ByteBuffer.allocate(4);
            h.base.newEvent(server, Event.READ, (e, w) -> readInto(server, in)).add();
            h.base.dispatch(); // the disabled listener leaves only the read event
            assertThat(new String(in.array(), StandardCharsets.US_ASCII)).isEqualTo("ping");
            server.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(4);
            while (reply.hasRemaining() && client.read(reply) >= 0) {
                // blocking client: read until the 4 bytes are there
            }
            assertThat(new String(reply.array(), StandardCharsets.US_ASCII)).isEqualTo("pong");
        } finally {
            listener.close();
            accepted.closeAll();
        }
    }

    private static void readInto(StreamSocket socket, ByteBuffer dst) {
        try {
            socket.read(dst);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @AllBackends
    void acceptsOverIpv4(String method) throws IOException {
        try (Harness h = new Harness(method)) {
            roundTrip(h, ConnListener.bind(h.base, LOCAL4, ConnListener.REUSEABLE, -1, null));
        }
    }

    /**
     * The default backlog is the system's maximum, not libevent's 128: a burst of 500
     * connections made while the loop accepts nothing completes every handshake at once
     * (with 128, the SYNs beyond the queue are dropped and retried a second later).
     */
    @AllBackends
    void defaultBacklogQueuesABurstBeyondLibeventsWhileTheLoopIsBusy(String method) throws IOException {
        int burst = 500;
        assumeThat(ListenOptions.DEFAULT_BACKLOG).as("net.core.somaxconn").isGreaterThanOrEqualTo(burst);
        List<java.net.Socket> clients = new ArrayList<>();
        try (Harness h = new Harness(method)) {
            ConnListener listener = ConnListener.bind(h.base, LOCAL4, ConnListener.REUSEABLE, -1, null);
            SocketAddress address = listener.getSocket().localAddress();
            for (int i = 0; i < burst; i++) {
                java.net.Socket client = new java.net.Socket();
                clients.add(client);
                client.connect(address, 500); // a dropped SYN would be retried after 1 s: timeout
            }
            List<StreamSocket> accepted = new ArrayList<>();
            listener.setCallback((l, socket, peer) -> {
                accepted.add(socket);
                if (accepted.size() == burst) {
                    l.disable();
                    h.base.loopBreak();
                }
            });
            runUntilBroken(h);
            assertThat(accepted).hasSize(burst);
            for (StreamSocket socket : accepted) socket.close();
            for (java.net.Socket client : clients) client.close(); // before the harness counts descriptors
            listener.close();
        } finally {
            for (java.net.Socket client : clients) client.close();
        }
    }

    @AllBackends
    void acceptsOverIpv6(String method) throws IOException {
        InetSocketAddress local6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        try (Harness h = new Harness(method)) {
            ConnListener listener;
            try {
                listener = ConnListener.bind(h.base, local6, 0, -1, null);
            } catch (IOException noIpv6) {
                assumeThat(noIpv6).as("IPv6 loopback available").isNull();
                return;
            }
            roundTrip(h, listener);
        }
    }

    @AllBackends
    void acceptsOverUnixDomainSockets(String method) throws IOException {
        Path dir = Files.createTempDirectory("jevent-listener");
        Path path = dir.resolve("s");
        try (Harness h = new Harness(method)) {
            ConnListener listener = ConnListener.bind(h.base, UnixDomainSocketAddress.of(path), 0, 16, null);
            roundTrip(h, listener);
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    @AllBackends
    void wrapsAListeningSocketAndLeavesItOpenWithoutCloseOnFree(String method) throws IOException {
        try (Harness h = new Harness(method)) {
            ServerSocket socket = h.base.net().listen(LOCAL4, ListenOptions.defaults());
            ConnListener listener = ConnListener.wrap(h.base, socket, 0, null);
            assertThat(listener.getSocket()).isSameAs(socket);
            assertThat(listener.base()).isSameAs(h.base);
            roundTrip(h, listener);
            assertThat(socket.isOpen()).isTrue();
            // Still a working listening socket of its own.
            try (SocketChannel client = SocketChannel.open(socket.localAddress())) {
                StreamSocket conn = null;
                while (conn == null) conn = socket.accept();
                conn.close();
            }
            socket.close();
        }
    }

    @AllBackends
    void closeOnFreeClosesTheWrappedSocket(String method) throws IOException {
        try (Harness h = new Harness(method)) {
            ServerSocket socket = h.base.net().listen(LOCAL4, ListenOptions.defaults());
            ConnListener listener = ConnListener.wrap(h.base, socket, ConnListener.CLOSE_ON_FREE, (l, s, p) -> {});
            listener.close();
            listener.close(); // idempotent
            assertThat(socket.isOpen()).isFalse();
            assertThatThrownBy(listener::enable).isInstanceOf(IllegalStateException.class);
        }
    }

    @AllBackends
    void disabledListenerLeavesConnectionsInTheBacklogUntilEnabled(String method) throws IOException {
        try (Harness h = new Harness(method)) {
            Accepted accepted = new Accepted();
            ConnListener listener = ConnListener.bind(h.base, LOCAL4, ConnListener.DISABLED, -1, (l, socket, peer) -> {
                accepted.sockets.add(socket);
                h.base.loopBreak();
            });
            assertThat(listener.isEnabled()).isFalse();
            assertThat(h.base.pendingEvents()).isZero();
            try (SocketChannel first = SocketChannel.open(listener.getSocket().localAddress())) {
                runFor(h, Duration.ofMillis(50));
                assertThat(accepted.sockets).isEmpty();

                listener.enable();
                runUntilBroken(h);
                assertThat(accepted.sockets).hasSize(1);

                listener.disable();
                try (SocketChannel second = SocketChannel.open(listener.getSocket().localAddress())) {
                    runFor(h, Duration.ofMillis(50));
                    assertThat(accepted.sockets).hasSize(1);
                    listener.enable();
                    runUntilBroken(h);
                    assertThat(accepted.sockets).hasSize(2);
                    assertThat(accepted.sockets.get(1).remoteAddress()).isEqualTo(second.getLocalAddress());
                }
            } finally {
                listener.close();
                accepted.closeAll();
            }
        }
    }

    @AllBackends
    void noCallbackMeansNoAccepting(String method) throws IOException {
        try (Harness h = new Harness(method)) {
            try (ConnListener listener = ConnListener.bind(h.base, LOCAL4, 0, -1, null)) {
                assertThat(h.base.pendingEvents()).isZero();
                listener.setCallback((l, s, p) -> {});
                assertThat(h.base.pendingEvents()).isOne();
                listener.setCallback(null);
                assertThat(h.base.pendingEvents()).isZero();
            }
        }
    }

    @AllBackends
    void closeFromTheCallbackStopsAcceptingAtOnce(String method) throws IOException {
        try (Harness h = new Harness(method)) {
            Accepted accepted = new Accepted();
            ConnListener listener = ConnListener.bind(h.base, LOCAL4, 0, -1, (l, socket, peer) -> {
                accepted.sockets.add(socket);
                try {
                    l.close();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            SocketAddress where = listener.getSocket().localAddress();
            try (SocketChannel a = SocketChannel.open(where); SocketChannel b = SocketChannel.open(where)) {
                // Both wait in the backlog; the loop ends because close() left no event behind.
                assertThat(h.base.dispatch()).isOne();
                assertThat(accepted.sockets).hasSize(1);
                assertThat(listener.getSocket().isOpen()).isFalse();
            } finally {
                accepted.closeAll();
            }
        }
    }

    @AllBackends
    void acceptFailurePausesAcceptingAndRetriesOnATimer(String method) throws IOException {
        try (Harness h = new Harness(method)) {
            FailingServerSocket socket = new FailingServerSocket(h.base.net().listen(LOCAL4, ListenOptions.defaults()))
                    .failNext(new ErrnoException("accept4", Errno.ENOBUFS));
            Accepted accepted = new Accepted();
            List<IOException> errors = new ArrayList<>();
            ConnListener listener = ConnListener.wrap(h.base, socket, ConnListener.CLOSE_ON_FREE, (l, s, p) -> {
                accepted.sockets.add(s);
                h.base.loopBreak();
            });
            listener.setErrorCallback((l, error) -> errors.add(error));
            try (SocketChannel client = SocketChannel.open(socket.localAddress())) {
                long start = System.nanoTime();
                runUntilBroken(h);
                // The failure was reported, accepting paused for the first back-off period,
                // then the retry found the connection still waiting.
                assertThat(errors).singleElement().isInstanceOf(ErrnoException.class);
                assertThat(accepted.sockets).hasSize(1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            } finally {
                listener.close();
                accepted.closeAll();
            }
        }
    }

    @AllBackends
    void outOfDescriptorsClosesThePendingConnectionWithTheSpare(String method) throws IOException {
        try (Harness h = new Harness(method)) {
            FailingServerSocket socket = new FailingServerSocket(h.base.net().listen(LOCAL4, ListenOptions.defaults()))
                    .failNext(new ErrnoException("accept4", Errno.EMFILE));
            List<IOException> errors = new ArrayList<>();
            ConnListener listener = ConnListener.wrap(h.base, socket, ConnListener.CLOSE_ON_FREE, (l, s, p) -> {
                throw new AssertionError("the connection should have been shed");
            });
            listener.setErrorCallback((l, error) -> {
                errors.add(error);
                h.base.loopBreak();
            });
            try (SocketChannel client = SocketChannel.open(socket.localAddress())) {
                runUntilBroken(h);
                assertThat(errors).singleElement().satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EMFILE));
                // The client is closed cleanly instead of waiting in the backlog.
                assertThat(client.read(ByteBuffer.allocate(1))).isEqualTo(-1);
                assertThat(h.base.pendingEvents()).as("still accepting, no back-off timer").isOne();
            } finally {
                listener.close();
            }
        }
    }

    @AllBackends
    void reusablePortLetsTwoListenersShareAPort(String method) throws IOException {
        try (Harness h = new Harness(method)) {
            try (ConnListener first = ConnListener.bind(h.base, LOCAL4, ConnListener.REUSEABLE_PORT, -1, null)) {
                SocketAddress where = first.getSocket().localAddress();
                try (ConnListener second = ConnListener.bind(h.base, where, ConnListener.REUSEABLE_PORT, -1, null)) {
                    assertThat(second.getSocket().localAddress()).isEqualTo(where);
                }
                assertThatThrownBy(() -> ConnListener.bind(h.base, where, 0, -1, null)).isInstanceOf(IOException.class);
            }
        }
    }

    @AllBackends
    void deferredAcceptWaitsForData(String method) throws IOException {
        try (Harness h = new Harness(method)) {
            ConnListener listener = ConnListener.bind(h.base, LOCAL4, ConnListener.DEFERRED_ACCEPT, -1, null);
            ServerSocket socket = listener.getSocket();
            if (socket.fd() >= 0) {
                assertThat(SocketCalls.getInt(socket.fd(), SocketCalls.IPPROTO_TCP, SocketCalls.TCP_DEFER_ACCEPT))
                        .isPositive();
            }
            roundTrip(h, listener);
        }
    }

    @AllBackends
    void acceptsAtMostABatchPerWakeUp(String method) throws IOException {
        try (Harness h = new Harness(method)) {
            int clients = ConnListener.MAX_ACCEPTS_PER_WAKEUP + 6;
            Accepted accepted = new Accepted();
            List<Integer> perWakeUp = new ArrayList<>();
            ConnListener listener = ConnListener.bind(h.base, LOCAL4, 0, clients, (l, s, p) -> accepted.sockets.add(s));
            // A timer at the listener's priority runs between two wake-ups of the listener.
            Event mark = h.base.newTimer((e, w) -> {
                perWakeUp.add(accepted.sockets.size());
                if (accepted.sockets.size() == clients) h.base.loopBreak();
                else e.add(Duration.ZERO);
            });
            List<SocketChannel> channels = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) channels.add(SocketChannel.open(listener.getSocket().localAddress()));
                mark.add(Duration.ZERO);
                runUntilBroken(h);
                assertThat(accepted.sockets).hasSize(clients);
                int previous = 0;
                for (int count : perWakeUp) {
                    assertThat(count - previous).isLessThanOrEqualTo(ConnListener.MAX_ACCEPTS_PER_WAKEUP);
                    previous = count;
                }
            } finally {
                mark.close();
                listener.close();
                accepted.closeAll();
                for (SocketChannel c : channels) c.close();
            }
        }
    }
}
