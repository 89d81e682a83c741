package org.jevent.listener;

import java.net.SocketAddress;
import org.jevent.EventLoop;
import org.jevent.net.StreamSocket;

/**
 * Takes over a connection accepted by a multi-loop server ({@link AcceptHandoff},
 * {@link ReusePortServer}). Runs on the thread of {@code loop}, the loop that owns the
 * connection from now on: register the socket's events on {@code loop.base()}, whose backend
 * suits the socket. The handler owns the socket and must close it.
 */
@FunctionalInterface
public interface ConnectionHandler {
    void onConnection(EventLoop loop, StreamSocket socket, SocketAddress peer);
}
