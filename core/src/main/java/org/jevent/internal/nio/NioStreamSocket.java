package org.jevent.internal.nio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import org.jevent.buffer.BufferVectors;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import org.jevent.net.StreamSocket;

/** A stream socket on a non-blocking {@link SocketChannel}. Used by one thread at a time. */
final class NioStreamSocket implements StreamSocket {
    private final SocketChannel channel;
    private IOException connectFailure;

    NioStreamSocket(SocketChannel channel) {
        this.channel = channel;
    }

    @Override public int fd() { return -1; }
    @Override public SelectableChannel channel() { return channel; }
    @Override public boolean isOpen() { return channel.isOpen(); }
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

    @Override public int read(ByteBuffer dst) throws IOException { return channel.read(dst); }
    @Override public long read(MemorySegment dst, long offset, long length) throws IOException {
        return ChannelIo.read(channel, dst, offset, length);
    }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return ChannelIo.read(channel, dsts, offset, length);
    }
    @Override public long read(MemorySegment[] dsts, int offset, int length) throws IOException {
        return ChannelIo.read(channel, dsts, offset, length);
    }
    @Override public int write(ByteBuffer src) throws IOException { return channel.write(src); }
    @Override public long write(MemorySegment src, long offset, long length) throws IOException {
        return ChannelIo.write(channel, src, offset, length);
    }
    @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return ChannelIo.write(channel, srcs, offset, length);
    }
    @Override public long write(MemorySegment[] srcs, int offset, int length) throws IOException {
        return ChannelIo.write(channel, srcs, offset, length);
    }

    @Override public long read(BufferVectors dsts) throws IOException { return ChannelIo.read(channel, dsts); }
    @Override public long write(BufferVectors srcs) throws IOException { return ChannelIo.write(channel, srcs); }

    @Override public String toString() { return "NioStreamSocket[" + channel + "]"; }
}
