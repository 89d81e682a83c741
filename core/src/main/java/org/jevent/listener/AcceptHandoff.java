package org.jevent.listener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jevent.EventBaseGroup;
import org.jevent.EventLoop;
import org.jevent.net.StreamSocket;

/**
 * Server model 1: one loop accepts, every loop serves. A {@link ConnListener} on the group's
 * loop 0 hands each accepted socket to the loops in round-robin order ({@link
 * EventBaseGroup#next()}) through their task queues, and the {@link ConnectionHandler} runs on
 * the chosen loop (libevent's and memcached's dispatcher thread). Works for TCP and
 * Unix-domain addresses; the accepting loop is the only one that can be starved by a
 * connection storm, the others see one task per connection.
 *
 * <pre>{@code
 * EventBaseGroup group = EventBaseGroup.start(4, EventBaseConfig.DEFAULT);
 * AcceptHandoff server = AcceptHandoff.bind(group, new InetSocketAddress("127.0.0.1", 0),
 *         ConnListener.REUSEABLE, -1, (loop, socket, peer) -> serve(loop.base(), socket));
 * SocketAddress where = server.localAddress();
 * ...
 * group.shutdownGracefully(Duration.ofSeconds(5)); // closes the listener, drains the loops
 * }</pre>
 */
public final class AcceptHandoff implements AutoCloseable {
    private final EventBaseGroup group;
    private final ConnListener listener;
    private final ConnectionHandler handler;
    private final Consumer<EventLoop> stopOnShutdown;

    private AcceptHandoff(EventBaseGroup group, SocketAddress address, int flags, int backlog,
                          ConnectionHandler handler) throws IOException {
        this.group = group;
        this.handler = handler;
        EventLoop acceptor = group.loop(0);
        this.listener = ConnListener.bind(acceptor.base(), address, flags, backlog, this::handOff);
        this.stopOnShutdown = loop -> {
            if (loop == acceptor) closeListener();
        };
        group.addShutdownHook(stopOnShutdown);
    }

    /**
     * Binds a listener on the group's loop 0 ({@link ConnListener#bind} with {@code flags}
     * and {@code backlog}); connections go to {@code handler} on every loop in turn.
     */
    public static AcceptHandoff bind(EventBaseGroup group, SocketAddress address, int flags, int backlog,
                                     ConnectionHandler handler) throws IOException {
        return new AcceptHandoff(group, address, flags, backlog, handler);
    }

    /** The listener on loop 0: set an error callback, disable or enable accepting. */
    public ConnListener listener() {
        return listener;
    }

    /** The bound address (with the port chosen when bound to port 0). */
    public SocketAddress localAddress() throws IOException {
        return listener.getSocket().localAddress();
    }

    private void handOff(ConnListener from, StreamSocket socket, SocketAddress peer) {
        EventLoop worker = group.next();
        try {
            worker.execute(new Handoff(handler, worker, socket, peer));
        } catch (RejectedExecutionException shuttingDown) {
            closeQuietly(socket);
        }
    }

    /** Stops accepting and closes the listening socket; connections already handed off go on. */
    @Override
    public void close() {
        group.removeShutdownHook(stopOnShutdown);
        closeListener();
    }

    private void closeListener() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void closeQuietly(StreamSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // dropping a connection nobody will serve
        }
    }

    /** The task that gives one connection to its loop. */
    private record Handoff(ConnectionHandler handler, EventLoop loop, StreamSocket socket, SocketAddress peer)
            implements Runnable {
        @Override
        public void run() {
            handler.onConnection(loop, socket, peer);
        }
    }
}
