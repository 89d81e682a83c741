package org.jevent.internal.nio;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jevent.net.DatagramSocket;
import org.jevent.net.ListenOptions;
import org.jevent.net.Net;
import org.jevent.net.PipeEnds;
import org.jevent.net.ServerSocket;
import org.jevent.net.StreamSocket;

/** {@link Net} over java.nio channels; every handle carries a non-blocking channel. */
public final class NioNet implements Net {
    public static final NioNet INSTANCE = new NioNet();

    private NioNet() {}

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public StreamSocket connect(SocketAddress remote) throws IOException {
        SocketChannel channel = SocketChannel.open(family(remote));
        try {
            channel.configureBlocking(false);
            channel.connect(remote);
            return new NioStreamSocket(channel);
        } catch (IOException | RuntimeException e) {
            closeAfter(e, channel);
            throw e;
        }
    }

    @Override
    public ServerSocket listen(SocketAddress local, ListenOptions options) throws IOException {
        if (options.ipv6Only()) throw new UnsupportedOperationException("java.nio cannot set IPV6_V6ONLY");
        ProtocolFamily family = family(local);
        ServerSocketChannel channel = ServerSocketChannel.open(family);
        try {
            channel.configureBlocking(false);
            if (family != StandardProtocolFamily.UNIX) {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
                if (options.reusePort()) channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(local, options.backlog());
            return new NioServerSocket(channel);
        } catch (IOException | RuntimeException e) {
            closeAfter(e, channel);
            throw e;
        }
    }

    @Override
    public DatagramSocket udp(SocketAddress local) throws IOException {
        if (!(local instanceof InetSocketAddress)) throw new UnsupportedAddressTypeException();
        DatagramChannel channel = DatagramChannel.open(family(local));
        try {
            channel.configureBlocking(false);
            channel.bind(local);
            return new NioDatagramSocket(channel);
        } catch (IOException | RuntimeException e) {
            closeAfter(e, channel);
            throw e;
        }
    }

    /**
     * java.nio has no socketpair: connect two channels through a listener on a socket file in
     * a fresh private directory, then remove the listener and the file.
     */
    @Override
    public StreamSocket[] socketPair() throws IOException {
        Path dir = Files.createTempDirectory("jevent-pair");
        Path file = dir.resolve("s");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(file), 1);
            SocketChannel a = SocketChannel.open(listener.getLocalAddress());
            SocketChannel b;
            try {
                b = listener.accept();
            } catch (IOException | RuntimeException e) {
                closeAfter(e, a);
                throw e;
            }
            try {
                a.configureBlocking(false);
                b.configureBlocking(false);
            } catch (IOException | RuntimeException e) {
                closeAfter(e, a);
                closeAfter(e, b);
                throw e;
            }
            return new StreamSocket[] {new NioStreamSocket(a), new NioStreamSocket(b)};
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }

    @Override
    public PipeEnds pipe() throws IOException {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            closeAfter(e, pipe.source());
            closeAfter(e, pipe.sink());
            throw e;
        }
        return new PipeEnds(new NioPipeSource(pipe.source()), new NioPipeSink(pipe.sink()));
    }

    @Override
    public StreamSocket wrap(int fd) {
        throw new UnsupportedOperationException("the nio Net adopts channels; use Net.nativeNet() for descriptors");
    }

    @Override
    public StreamSocket wrap(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        return new NioStreamSocket(channel);
    }

    private static ProtocolFamily family(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) return StandardProtocolFamily.UNIX;
        if (address instanceof InetSocketAddress inet) {
            if (inet.isUnresolved()) throw new UnresolvedAddressException();
            return inet.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        }
        throw new UnsupportedAddressTypeException();
    }

    /** Closes {@code channel} on a failure path, keeping the first failure as the one reported. */
    private static void closeAfter(Exception failure, Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
