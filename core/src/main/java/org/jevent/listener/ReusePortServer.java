package org.jevent.listener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Consumer;
import org.jevent.EventBaseGroup;
import org.jevent.EventLoop;

/**
 * Server model 2: every loop accepts for itself. Each loop of the group gets its own
 * {@link ConnListener} bound to the same TCP address with {@code SO_REUSEPORT}; the kernel
 * spreads incoming connections over them (by a hash of the addresses), and each connection
 * stays on the loop that accepted it, with no hand-off between threads. What libevent's
 * maintainers advise for evhttp on several threads. TCP only: Linux does not share
 * Unix-domain paths this way.
 *
 * <pre>{@code
 * EventBaseGroup group = EventBaseGroup.start(4, EventBaseConfig.DEFAULT);
 * ReusePortServer server = ReusePortServer.bind(group, new InetSocketAddress(8080),
 *         ConnListener.REUSEABLE, -1, (loop, socket, peer) -> serve(loop.base(), socket));
 * ...
 * group.shutdownGracefully(Duration.ofSeconds(5)); // closes every listener, drains the loops
 * }</pre>
 */
public final class ReusePortServer implements AutoCloseable {
    private final EventBaseGroup group;
    private final ConnListener[] listeners;
    private final Consumer<EventLoop> stopOnShutdown;

    private ReusePortServer(EventBaseGroup group, ConnListener[] listeners) {
        this.group = group;
        this.listeners = listeners;
        this.stopOnShutdown = loop -> close(listeners[loop.index()]);
        group.addShutdownHook(stopOnShutdown);
    }

    /**
     * Binds one listener per loop to {@code address} with {@code flags} plus
     * {@link ConnListener#REUSEABLE_PORT}. Port 0 picks one free port for all of them.
     */
    public static ReusePortServer bind(EventBaseGroup group, InetSocketAddress address, int flags, int backlog,
                                       ConnectionHandler handler) throws IOException {
        ConnListener[] listeners = new ConnListener[group.size()];
        try {
            SocketAddress where = address;
            for (int i = 0; i < listeners.length; i++) {
                EventLoop loop = group.loop(i);
                listeners[i] = ConnListener.bind(loop.base(), where, flags | ConnListener.REUSEABLE_PORT, backlog,
                        (listener, socket, peer) -> handler.onConnection(loop, socket, peer));
                where = listeners[0].getSocket().localAddress();
            }
        } catch (IOException | RuntimeException e) {
            for (ConnListener l : listeners) if (l != null) close(l);
            throw e;
        }
        return new ReusePortServer(group, listeners);
    }

    /** The shared address (with the port chosen when bound to port 0). */
    public SocketAddress localAddress() throws IOException {
        return listeners[0].getSocket().localAddress();
    }

    /** The listener of loop {@code index}. */
    public ConnListener listener(int index) {
        return listeners[index];
    }

    /** Closes every listener; connections already accepted go on. */
    @Override
    public void close() {
        group.removeShutdownHook(stopOnShutdown);
        for (ConnListener l : listeners) close(l);
    }

    private static void close(ConnListener listener) {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
