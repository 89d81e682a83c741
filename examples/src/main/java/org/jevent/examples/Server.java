package org.jevent.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import org.jevent.EventBaseConfig;
import org.jevent.EventBaseGroup;
import org.jevent.EventLoop;
import org.jevent.bufferevent.BufferEvent;
import org.jevent.listener.AcceptHandoff;
import org.jevent.listener.ConnListener;
import org.jevent.listener.ConnectionHandler;
import org.jevent.listener.ReusePortServer;
import org.jevent.net.StreamSocket;

/**
 * The TCP server under every network example: event loops on their own threads (an
 * {@link EventBaseGroup}, libevent's "one base per thread"), a listener ({@code evconnlistener})
 * that accepts connections, and a {@link Service} that serves each one. {@link #close} stops
 * accepting, closes every connection and ends the loops, so nothing is left open.
 *
 * <p>Three layouts, by the number of loops:
 * <ul>
 *   <li>one loop: a {@link ConnListener} on it, the classic single-threaded libevent server;
 *   <li>several loops: {@link AcceptHandoff}, loop 0 accepts and hands each connection to the
 *       loops in turn (memcached's dispatcher thread);
 *   <li>several loops with {@code reusePort}: {@link ReusePortServer}, each loop has its own
 *       listener on one {@code SO_REUSEPORT} port and the kernel spreads the connections.
 * </ul>
 */
final class Server implements AutoCloseable {
    /** How long {@link #close} lets the loops finish once every connection is closed. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final EventBaseGroup group;
    private final AutoCloseable listener;
    private final int port;

    private Server(EventBaseGroup group, AutoCloseable listener, int port) {
        this.group = group;
        this.listener = listener;
        this.port = port;
    }

    /**
     * Starts {@code threads} loops on {@code config}, listens on {@code address} and gives
     * every accepted connection, opened in {@code connections}, to {@code service}.
     */
    static Server start(EventBaseConfig config, InetSocketAddress address, int threads, boolean reusePort,
                        Connections connections, Service service) throws IOException {
        EventBaseGroup group = EventBaseGroup.start(threads, config);
        // Stopping runs this on every loop, after the listeners are closed.
        group.addShutdownHook(loop -> connections.closeAll(loop.base()));
        ConnectionHandler handler = (loop, socket, peer) -> serve(group, loop, socket, connections, service);
        int flags = ConnListener.REUSEABLE; // SO_REUSEADDR: a restarted server binds again at once
        try {
            if (reusePort) {
                ReusePortServer server = ReusePortServer.bind(group, address, flags, -1, handler);
                return new Server(group, server, portOf(server.localAddress()));
            }
            if (threads > 1) {
                AcceptHandoff server = AcceptHandoff.bind(group, address, flags, -1, handler);
                return new Server(group, server, portOf(server.localAddress()));
            }
            EventLoop loop = group.loop(0);
            ConnListener listener = ConnListener.bind(loop.base(), address, flags, -1,
                    (l, socket, peer) -> handler.onConnection(loop, socket, peer));
            return new Server(group, listener, portOf(listener.getSocket().localAddress()));
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    private static void serve(EventBaseGroup group, EventLoop loop, StreamSocket socket,
                              Connections connections, Service service) {
        try {
            // A connection handed off just before the loop ran its shutdown hook is not served.
            if (group.isShutdown()) {
                socket.close();
                return;
            }
            BufferEvent bev = connections.open(loop.base(), socket);
            service.serve(bev);
        } catch (IOException e) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(StreamSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // dropping a connection that could not be set up
        }
    }

    private static int portOf(SocketAddress address) {
        return ((InetSocketAddress) address).getPort();
    }

    /** The port it listens on (the one the kernel chose when started on port 0). */
    int port() {
        return port;
    }

    /** The backend its loops use, e.g. "epoll". */
    String method() {
        return group.loop(0).base().method();
    }

    /** Stops accepting, closes every connection, lets the loops end, and closes their bases. */
    @Override
    public void close() throws Exception {
        listener.close();
        group.shutdownGracefully(STOP_TIMEOUT);
    }

    @Override
    public String toString() {
        return "port " + port + ", " + method() + ", " + group.size() + (group.size() == 1 ? " loop" : " loops");
    }
}
