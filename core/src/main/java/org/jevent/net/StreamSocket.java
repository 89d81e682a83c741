package org.jevent.net;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A connected or connecting stream socket: TCP over IPv4/IPv6, or a Unix-domain stream
 * (libevent's {@code evutil_socket_t} after {@code socket}/{@code connect} or
 * {@code accept}; what a socket {@code bufferevent} reads and writes).
 *
 * <p>A socket from {@link Net#connect} may still be connecting: wait until it is writable,
 * then call {@link #finishConnect()}, which either returns {@code true} or throws the
 * failure, as libevent reads {@code SO_ERROR} when a connecting socket becomes writable.
 */
public interface StreamSocket extends NetSocket, ReadableStream, WritableStream {

    /**
     * Completes a non-blocking connect. Returns {@code true} once connected (also on every
     * later call), {@code false} while the connection is still in progress, and throws the
     * failure ({@code SO_ERROR}) if it failed: native sockets throw {@link ErrnoException}
     * (e.g. {@code ECONNREFUSED}); NIO sockets throw the JDK's exception (e.g.
     * {@link java.net.ConnectException}), which carries no errno. A failed connect throws
     * the same exception on every later call.
     */
    boolean finishConnect() throws IOException;

    /** The peer's address ({@code getpeername(2)}); {@code null} while not connected. */
    SocketAddress remoteAddress() throws IOException;

    /** Half-closes the sending side ({@code shutdown(SHUT_WR)}): the peer reads end of stream. */
    void shutdownOutput() throws IOException;

    /** Half-closes the receiving side ({@code shutdown(SHUT_RD)}): reads return end of stream. */
    void shutdownInput() throws IOException;

    @Override
    <T> StreamSocket setOption(java.net.SocketOption<T> option, T value) throws IOException;
}
