package org.jevent.internal.linux;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import org.jevent.net.ServerSocket;
import org.jevent.net.StreamSocket;

/** A listening socket on a descriptor. */
final class NativeServerSocket extends FdHandle implements ServerSocket {
    NativeServerSocket(int fd) {
        super(fd);
    }

    @Override
    public StreamSocket accept() throws IOException {
        int conn = SocketCalls.accept(liveFd());
        return conn < 0 ? null : new NativeStreamSocket(conn, true);
    }

    @Override public SocketAddress localAddress() throws IOException { return SocketCalls.localAddress(liveFd()); }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> option, T value) throws IOException {
        NativeOptions.set(liveFd(), option, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return NativeOptions.get(liveFd(), option);
    }
}
