package org.jevent.internal.linux;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import org.jevent.net.DatagramSocket;
import org.jevent.net.ErrnoException;
import org.jevent.net.ListenOptions;
import org.jevent.net.Net;
import org.jevent.net.PipeEnds;
import org.jevent.net.ServerSocket;
import org.jevent.net.StreamSocket;

/** {@link Net} over Linux system calls; every handle carries a descriptor. */
public final class NativeNet implements Net {
    public static final NativeNet INSTANCE = new NativeNet();

    private NativeNet() {}

    @Override
    public String name() {
        return "native";
    }

    @Override
    public StreamSocket connect(SocketAddress remote) throws IOException {
        int fd = SocketCalls.socket(SockAddr.family(remote), LibC.SOCK_STREAM);
        try {
            return new NativeStreamSocket(fd, SocketCalls.connect(fd, remote));
        } catch (IOException | RuntimeException e) {
            LibC.closeQuietly(fd);
            throw e;
        }
    }

    @Override
    public ServerSocket listen(SocketAddress local, ListenOptions options) throws IOException {
        int family = SockAddr.family(local);
        int fd = SocketCalls.socket(family, LibC.SOCK_STREAM);
        try {
            if (family != LibC.AF_UNIX) {
                SocketCalls.setInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEADDR, options.reuseAddress() ? 1 : 0);
                SocketCalls.setInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEPORT, options.reusePort() ? 1 : 0);
            }
            if (family == LibC.AF_INET6) {
                SocketCalls.setInt(fd, SocketCalls.IPPROTO_IPV6, SocketCalls.IPV6_V6ONLY, options.ipv6Only() ? 1 : 0);
            }
            SocketCalls.bind(fd, local);
            SocketCalls.listen(fd, options.backlog());
            return new NativeServerSocket(fd);
        } catch (IOException | RuntimeException e) {
            LibC.closeQuietly(fd);
            throw e;
        }
    }

    @Override
    public DatagramSocket udp(SocketAddress local) throws IOException {
        if (!(local instanceof InetSocketAddress)) throw new UnsupportedAddressTypeException();
        int fd = SocketCalls.socket(SockAddr.family(local), LibC.SOCK_DGRAM);
        try {
            SocketCalls.bind(fd, local);
            return new NativeDatagramSocket(fd);
        } catch (IOException | RuntimeException e) {
            LibC.closeQuietly(fd);
            throw e;
        }
    }

    @Override
    public StreamSocket[] socketPair() throws ErrnoException {
        int[] fds = LibC.socketPair(LibC.AF_UNIX, LibC.SOCK_STREAM);
        return new StreamSocket[] {new NativeStreamSocket(fds[0], true), new NativeStreamSocket(fds[1], true)};
    }

    @Override
    public PipeEnds pipe() throws ErrnoException {
        int[] fds = LibC.pipe();
        return new PipeEnds(new NativePipeSource(fds[0]), new NativePipeSink(fds[1]));
    }

    @Override
    public StreamSocket wrap(int fd) throws ErrnoException {
        if (fd < 0) throw new IllegalArgumentException("negative file descriptor: " + fd);
        SocketCalls.adopt(fd);
        return new NativeStreamSocket(fd, true);
    }

    @Override
    public StreamSocket wrap(SocketChannel channel) {
        throw new UnsupportedOperationException("the native Net adopts descriptors; use Net.nio() for channels");
    }
}
