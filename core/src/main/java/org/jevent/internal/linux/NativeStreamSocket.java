package org.jevent.internal.linux;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import org.jevent.net.ErrnoException;
import org.jevent.net.StreamSocket;

/** A stream socket on a descriptor. Like a libevent socket, it is used by one thread at a time. */
final class NativeStreamSocket extends FdHandle implements StreamSocket, FdReadable, FdWritable {
    private boolean connected;
    private ErrnoException connectFailure;

    NativeStreamSocket(int fd, boolean connected) {
        super(fd);
        this.connected = connected;
    }

    @Override
    public boolean finishConnect() throws IOException {
        if (connected) return true;
        if (connectFailure != null) throw connectFailure;
        int fd = liveFd();
        int error = SocketCalls.getInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_ERROR);
        if (error != 0) {
            connectFailure = new ErrnoException("connect", error);
            throw connectFailure;
        }
        // SO_ERROR is 0 both when connected and while still connecting; only a peer tells.
        connected = SocketCalls.peerAddress(fd) != null;
        return connected;
    }

    @Override public SocketAddress localAddress() throws IOException { return SocketCalls.localAddress(liveFd()); }
    @Override public SocketAddress remoteAddress() throws IOException { return SocketCalls.peerAddress(liveFd()); }
    @Override public void shutdownOutput() throws IOException { SocketCalls.shutdown(liveFd(), SocketCalls.SHUT_WR); }
    @Override public void shutdownInput() throws IOException { SocketCalls.shutdown(liveFd(), SocketCalls.SHUT_RD); }

    @Override
    public <T> StreamSocket setOption(SocketOption<T> option, T value) throws IOException {
        NativeOptions.set(liveFd(), option, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return NativeOptions.get(liveFd(), option);
    }
}
