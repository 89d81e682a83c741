package org.jevent.internal.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.jevent.net.DatagramSocket;

/** A UDP socket on a descriptor. */
final class NativeDatagramSocket extends FdHandle implements DatagramSocket {
    NativeDatagramSocket(int fd) {
        super(fd);
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        int fd = liveFd();
        int len = src.remaining();
        long n;
        do n = SocketCalls.sendTo(fd, MemorySegment.ofBuffer(src), len, target);
        while (n < 0 && SocketCalls.interrupted());
        if (n < 0) return 0;
        src.position(src.position() + (int) n);
        return (int) n;
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) throw new ReadOnlyBufferException();
        int fd = liveFd();
        long n;
        do n = SocketCalls.receiveFrom(fd, MemorySegment.ofBuffer(dst), dst.remaining());
        while (n < 0 && SocketCalls.interrupted());
        if (n < 0) return null;
        dst.position(dst.position() + (int) n);
        return SocketCalls.sender();
    }

    @Override public void connect(SocketAddress peer) throws IOException { SocketCalls.connect(liveFd(), peer); }
    @Override public SocketAddress remoteAddress() throws IOException { return SocketCalls.peerAddress(liveFd()); }
    @Override public SocketAddress localAddress() throws IOException { return SocketCalls.localAddress(liveFd()); }

    @Override
    public <T> DatagramSocket setOption(SocketOption<T> option, T value) throws IOException {
        NativeOptions.set(liveFd(), option, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return NativeOptions.get(liveFd(), option);
    }
}
