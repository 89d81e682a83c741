package org.jevent.net;

import java.io.IOException;

/**
 * A listening stream socket (libevent's {@code evconnlistener} socket:
 * {@code socket} + {@code bind} + {@code listen}). Readable means a connection is pending.
 */
public interface ServerSocket extends NetSocket {

    /**
     * Accepts one pending connection ({@code accept4(SOCK_NONBLOCK|SOCK_CLOEXEC)}); the new
     * socket is connected and non-blocking. Returns {@code null} when none is pending.
     * Running out of descriptors throws {@link ErrnoException} {@code EMFILE}/{@code ENFILE}
     * on native sockets (the connection stays queued: stop watching readability or free a
     * descriptor rather than retry at once, or the loop spins).
     */
    StreamSocket accept() throws IOException;

    @Override
    <T> ServerSocket setOption(java.net.SocketOption<T> option, T value) throws IOException;
}
