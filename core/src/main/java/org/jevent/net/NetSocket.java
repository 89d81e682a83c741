package org.jevent.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;

/**
 * What every socket has: a local address and options ({@code getsockname(2)},
 * {@code setsockopt(2)} / {@code getsockopt(2)}; libevent's {@code evutil_make_*} helpers).
 *
 * <p>Options are the {@link StandardSocketOptions}: {@code TCP_NODELAY}, {@code SO_KEEPALIVE},
 * {@code SO_SNDBUF}, {@code SO_RCVBUF}, {@code SO_LINGER} (seconds, negative = off),
 * {@code SO_REUSEADDR}, {@code SO_REUSEPORT} and, for UDP, {@code SO_BROADCAST}. An option
 * the implementation does not know throws {@link UnsupportedOperationException}; one the
 * socket's protocol rejects (e.g. {@code TCP_NODELAY} on a Unix socket) throws
 * {@link ErrnoException} on native sockets and {@link UnsupportedOperationException} on NIO. Linux doubles the buffer sizes it is given, so
 * {@code SO_SNDBUF}/{@code SO_RCVBUF} read back larger than they were set.
 */
public interface NetSocket extends IoHandle {

    /** The address this socket is bound to ({@code getsockname(2)}). */
    SocketAddress localAddress() throws IOException;

    /** Sets a socket option; returns this socket. */
    <T> NetSocket setOption(SocketOption<T> option, T value) throws IOException;

    /** Reads a socket option. */
    <T> T getOption(SocketOption<T> option) throws IOException;
}
