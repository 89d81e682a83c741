package org.jevent;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SelectableChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jevent.net.ServerSocket;
import org.jevent.net.StreamSocket;

/** A real listening socket whose next accepts fail as scripted, to drive a listener's error paths. */
final class FailingServerSocket implements ServerSocket {
    private final ServerSocket real;
    private final Deque<IOException> failures = new ArrayDeque<>();

    FailingServerSocket(ServerSocket real) {
        this.real = real;
    }

    /** The next accept throws {@code failure} (in the order given). */
    FailingServerSocket failNext(IOException failure) {
        failures.add(failure);
        return this;
    }

    @Override
    public StreamSocket accept() throws IOException {
        IOException failure = failures.poll();
        if (failure != null) throw failure;
        return real.accept();
    }

    @Override public int fd() { return real.fd(); }
    @Override public SelectableChannel channel() { return real.channel(); }
    @Override public boolean isOpen() { return real.isOpen(); }
    @Override public void close() throws IOException { real.close(); }
    @Override public SocketAddress localAddress() throws IOException { return real.localAddress(); }
    @Override public <T> T getOption(SocketOption<T> option) throws IOException { return real.getOption(option); }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> option, T value) throws IOException {
        real.setOption(option, value);
        return this;
    }
}
