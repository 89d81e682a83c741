package org.jevent.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import org.jevent.internal.linux.NativeNet;
import org.jevent.internal.linux.Syscall;
import org.jevent.internal.nio.NioNet;

/**
 * Makes sockets and pipes (libevent's {@code evutil_*} socket helpers and the socket set-up
 * inside {@code evconnlistener_new_bind} and {@code bufferevent_socket_connect}).
 *
 * <p>There are two implementations behind this one API, because an event loop watches either
 * descriptors or channels: {@link #nativeNet()} calls Linux directly through FFM and makes
 * handles with an {@link org.jevent.Pollable#fd() fd} for the epoll, poll and select
 * backends; {@link #nio()} uses {@code java.nio} and makes handles with a
 * {@link org.jevent.Pollable#channel() channel} for the nio backend. Use the one that matches
 * your loop's backend.
 *
 * <p>Addresses are {@link InetSocketAddress} (resolved IPv4 or IPv6; port 0 picks a free
 * port) and {@link UnixDomainSocketAddress}. Every handle is non-blocking and close-on-exec.
 */
public interface Net {

    /** The most buffers one scattering read or gathering write passes to the kernel. */
    int IOV_MAX = 1024;

    /** The FFM implementation over Linux system calls; throws when libc is unavailable. */
    static Net nativeNet() {
        if (!Syscall.available()) throw new UnsupportedOperationException("native sockets need Linux");
        return NativeNet.INSTANCE;
    }

    /** The java.nio implementation, available everywhere. */
    static Net nio() {
        return NioNet.INSTANCE;
    }

    /** "native" or "nio". */
    String name();

    /**
     * Starts connecting to {@code remote} without blocking ({@code socket} + {@code connect}
     * returning EINPROGRESS). Returns at once; the socket becomes writable when the attempt
     * ends and {@link StreamSocket#finishConnect()} then reports the outcome. Failures known
     * at once (e.g. a Unix socket path that does not exist) are thrown here.
     */
    StreamSocket connect(SocketAddress remote) throws IOException;

    /** Binds and listens on {@code local} ({@code socket} + {@code setsockopt} + {@code bind} + {@code listen}). */
    ServerSocket listen(SocketAddress local, ListenOptions options) throws IOException;

    /** A UDP socket bound to {@code local} (port 0 picks a free port). */
    DatagramSocket udp(SocketAddress local) throws IOException;

    /**
     * Two connected Unix-domain stream sockets ({@code socketpair(AF_UNIX, SOCK_STREAM)};
     * libevent's {@code evutil_socketpair}). The NIO implementation connects a pair through
     * a short-lived listener on a temporary socket file.
     */
    StreamSocket[] socketPair() throws IOException;

    /** A pipe ({@code pipe2} / {@link java.nio.channels.Pipe}). */
    PipeEnds pipe() throws IOException;

    /**
     * Adopts a connected socket descriptor, making it non-blocking and close-on-exec; closing
     * the result closes {@code fd}. Native only: the NIO implementation throws
     * {@link UnsupportedOperationException}.
     */
    StreamSocket wrap(int fd) throws IOException;

    /**
     * Adopts a connected or connecting channel, making it non-blocking; closing the result
     * closes {@code channel}. NIO only: the native implementation throws
     * {@link UnsupportedOperationException}.
     */
    StreamSocket wrap(SocketChannel channel) throws IOException;
}
