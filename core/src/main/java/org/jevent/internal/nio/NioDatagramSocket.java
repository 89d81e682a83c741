package org.jevent.internal.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import org.jevent.net.DatagramSocket;

/** A UDP socket on a non-blocking {@link DatagramChannel}. */
final class NioDatagramSocket implements DatagramSocket {
    private final DatagramChannel channel;

    NioDatagramSocket(DatagramChannel channel) {
        this.channel = channel;
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        // DatagramChannel.send wants a target; a connected channel sends with write.
        return target == null ? channel.write(src) : channel.send(src, target);
    }

    @Override public SocketAddress receive(ByteBuffer dst) throws IOException { return channel.receive(dst); }
    @Override public void connect(SocketAddress peer) throws IOException { channel.connect(peer); }
    @Override public SocketAddress remoteAddress() throws IOException { return channel.getRemoteAddress(); }
    @Override public SocketAddress localAddress() throws IOException { return channel.getLocalAddress(); }

    @Override public int fd() { return -1; }
    @Override public SelectableChannel channel() { return channel; }
    @Override public boolean isOpen() { return channel.isOpen(); }
    @Override public void close() throws IOException { channel.close(); }

    @Override
    public <T> DatagramSocket setOption(SocketOption<T> option, T value) throws IOException {
        channel.setOption(option, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return channel.getOption(option);
    }

    @Override public String toString() { return "NioDatagramSocket[" + channel + "]"; }
}
