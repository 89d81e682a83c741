package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jevent.internal.linux.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One test's world: a base on the backend under test, connected pairs that suit it, and the
 * leak check every test ends with (descriptors back to where they were, no event left).
 */
final class Harness implements AutoCloseable {
    final EventBase base;
    private final long fdsBefore;
    private final List<Runnable> cleanups = new ArrayList<>();
    private boolean allowPending;

    static {
        // The JDK opens a few process-wide descriptors lazily on first NIO use; open them now
        // so that they do not count as a leak of the first test.
        try {
            channelPair().close();
            java.nio.channels.Selector.open().close();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Stream<String> methods() {
        return EventBase.supportedMethods().stream();
    }

    Harness(String method) {
        this(EventBaseConfig.builder().method(method).ignoreEnvironment());
    }

    Harness(EventBaseConfig.Builder config) {
        fdsBefore = openFds();
        base = EventBase.create(config.ignoreEnvironment().build());
    }

    /** A connected, non-blocking stream pair the base can watch. */
    Pair pair() {
        try {
            Pair p = base.method().equals("nio") ? channelPair() : fdPair();
            cleanups.add(p::close);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Pair fdPair() throws IOException {
        int[] fds = LibC.socketPair(LibC.AF_UNIX, LibC.SOCK_STREAM);
        return new Pair(new FdEnd(fds[0]), new FdEnd(fds[1]));
    }

    private static Pair channelPair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel a = SocketChannel.open(server.getLocalAddress());
            SocketChannel b = server.accept();
            a.configureBlocking(false);
            b.configureBlocking(false);
            return new Pair(new ChannelEnd(a), new ChannelEnd(b));
        }
    }

    /** Lets the test end with events still pending (the base's close drops them). */
    void allowPending() {
        allowPending = true;
    }

    @Override
    public void close() {
        if (!allowPending) {
            assertThat(base.pendingEvents()).as("events left pending").isZero();
            assertThat(base.activeEvents()).as("events left active").isZero();
        }
        base.close();
        cleanups.forEach(Runnable::run);
        assertThat(openFds()).as("open descriptors").isEqualTo(fdsBefore);
    }

    static long openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** Two connected ends. */
    record Pair(End a, End b) {
        void close() {
            a.close();
            b.close();
        }
    }

    /** One end of a pair: a Pollable with blocking-free byte I/O for tests. */
    interface End extends Pollable {
        /** Writes all of {@code data} (small amounts never block). */
        void write(byte... data);

        /** Reads what is there: bytes read, 0 if none, -1 at end of stream. */
        int read(int max);

        void shutdownOutput();

        void close();
    }

    static final class FdEnd implements End {
        private final int fd;
        private final MemorySegment buf = Arena.ofAuto().allocate(1 << 16);
        private boolean closed;

        FdEnd(int fd) {
            this.fd = fd;
        }

        @Override public int fd() { return fd; }
        @Override public java.nio.channels.SelectableChannel channel() { return null; }

        @Override
        public void write(byte... data) {
            MemorySegment.copy(MemorySegment.ofArray(data), 0, buf, 0, data.length);
            try {
                assertThat(LibC.write(fd, buf, data.length)).isEqualTo(data.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public int read(int max) {
            try {
                long n = LibC.read(fd, buf, Math.min(max, buf.byteSize()));
                return n < 0 ? 0 : n == 0 ? -1 : (int) n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void shutdownOutput() {
            throw new UnsupportedOperationException("use close() for EOF on raw fds");
        }

        @Override
        public void close() {
            if (!closed) LibC.closeQuietly(fd);
            closed = true;
        }

        @Override public String toString() { return "fd " + fd; }
    }

    static final class ChannelEnd implements End {
        private final SocketChannel ch;

        ChannelEnd(SocketChannel ch) {
            this.ch = ch;
        }

        @Override public int fd() { return -1; }
        @Override public java.nio.channels.SelectableChannel channel() { return ch; }

        @Override
        public void write(byte... data) {
            try {
                assertThat(ch.write(ByteBuffer.wrap(data))).isEqualTo(data.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public int read(int max) {
            try {
                return ch.read(ByteBuffer.allocate(max));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void shutdownOutput() {
            try {
                ch.shutdownOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                ch.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public String toString() { return ch.toString(); }
    }
}
