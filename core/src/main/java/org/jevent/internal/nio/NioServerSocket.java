package org.jevent.internal.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.jevent.net.ServerSocket;
import org.jevent.net.StreamSocket;

/** A listening socket on a non-blocking {@link ServerSocketChannel}. */
final class NioServerSocket implements ServerSocket {
    private final ServerSocketChannel channel;

    NioServerSocket(ServerSocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public StreamSocket accept() throws IOException {
        SocketChannel conn = channel.accept();
        if (conn == null) return null;
        conn.configureBlocking(false);
        return new NioStreamSocket(conn);
    }

    @Override public int fd() { return -1; }
    @Override public SelectableChannel channel() { return channel; }
    @Override public boolean isOpen() { return channel.isOpen(); }
    @Override public void close() throws IOException { channel.close(); }
    @Override public SocketAddress localAddress() throws IOException { return channel.getLocalAddress(); }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> option, T value) throws IOException {
        channel.setOption(option, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return channel.getOption(option);
    }

    @Override public String toString() { return "NioServerSocket[" + channel + "]"; }
}
