package org.jevent.listener;

import java.net.SocketAddress;
import org.jevent.net.StreamSocket;

/**
 * Receives each connection a {@link ConnListener} accepts ({@code evconnlistener_cb}). Runs
 * on the listener's loop thread. The socket is connected, non-blocking and close-on-exec,
 * made by the listener's {@link org.jevent.EventBase#net() net}, and belongs to the callback
 * from now on: it must close it.
 */
@FunctionalInterface
public interface AcceptCallback {
    /**
     * @param listener the listener that accepted
     * @param socket   the new connection
     * @param peer     the peer's address ({@code getpeername(2)}); for Unix-domain sockets
     *                 usually an unnamed address
     */
    void onAccept(ConnListener listener, StreamSocket socket, SocketAddress peer);
}
