package org.jevent.internal.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import org.jevent.net.StreamSocket;

/** A stream socket on a non-blocking {@link SocketChannel}. Used by one thread at a time. */
final class NioStreamSocket implements StreamSocket, ChannelReadable, ChannelWritable {
    private final SocketChannel channel;
    private IOException connectFailure;

    NioStreamSocket(SocketChannel channel) {
        this.channel = channel;
    }

    @Override public int fd() { return -1; }
    @Override public SelectableChannel channel() { return channel; }
    @Override public boolean isOpen() { return channel.isOpen(); }
    @Override public java.nio.channels.ScatteringByteChannel source() { return channel; }
    @Override public java.nio.channels.GatheringByteChannel sink() { return channel; }
    @Override public void close() throws IOException { channel.close(); }

    @Override
    public boolean finishConnect() throws IOException {
        if (connectFailure != null) throw connectFailure;
        try {
            return channel.finishConnect();
        } catch (IOException e) {
            // The JDK closes the channel when a connect fails; remember why for later calls.
            connectFailure = e;
            throw e;
        }
    }

    @Override public SocketAddress localAddress() throws IOException { return channel.getLocalAddress(); }
    @Override public SocketAddress remoteAddress() throws IOException { return channel.getRemoteAddress(); }
    @Override public void shutdownOutput() throws IOException { channel.shutdownOutput(); }
    @Override public void shutdownInput() throws IOException { channel.shutdownInput(); }

    @Override
    public <T> StreamSocket setOption(SocketOption<T> option, T value) throws IOException {
        channel.setOption(option, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return channel.getOption(option);
    }

    @Override public String toString() { return "NioStreamSocket[" + channel + "]"; }
}
