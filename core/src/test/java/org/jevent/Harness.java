package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import org.jevent.net.StreamSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One test's world: a base on the backend under test, connected pairs that suit it, and the
 * leak check every test ends with (descriptors back to where they were, no event left).
 */
public final class Harness implements AutoCloseable {
    public final EventBase base;
    private final long fdsBefore;
    private final List<Runnable> cleanups = new ArrayList<>();
    private boolean allowPending;

    static {
        // The JDK opens a few process-wide descriptors lazily on first NIO use; open them now
        // so that they do not count as a leak of the first test.
        try {
            for (org.jevent.net.Net net : new org.jevent.net.Net[] {org.jevent.net.Net.nio(), org.jevent.net.Net.nativeNet()}) {
                for (StreamSocket end : net.socketPair()) end.close();
            }
            java.nio.channels.Selector.open().close();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public static Stream<String> methods() {
        return EventBase.supportedMethods().stream();
    }

    public Harness(String method) {
        this(EventBaseConfig.builder().method(method).ignoreEnvironment());
    }

    public Harness(EventBaseConfig.Builder config) {
        fdsBefore = openFds();
        base = EventBase.create(config.ignoreEnvironment().build());
    }

    /** A connected, non-blocking stream pair the base can watch (from the base's net()). */
    public Pair pair() {
        try {
            StreamSocket[] ends = base.net().socketPair();
            Pair p = new Pair(new End(ends[0]), new End(ends[1]));
            cleanups.add(p::close);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets the test end with events still pending (the base's close drops them). */
    public void allowPending() {
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

    public static long openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** Two connected ends. */
    public record Pair(End a, End b) {
        public void close() {
            a.close();
            b.close();
        }
    }

    /** One end of a pair: its socket, with assertive byte I/O for tests. */
    public record End(StreamSocket socket) implements Pollable {
        @Override public int fd() { return socket.fd(); }
        @Override public SelectableChannel channel() { return socket.channel(); }

        /** Writes all of {@code data} (small amounts never block). */
        public void write(byte... data) {
            try {
                assertThat(socket.write(ByteBuffer.wrap(data))).isEqualTo(data.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Reads what is there: bytes read, 0 if none, -1 at end of stream. */
        public int read(int max) {
            try {
                return socket.read(ByteBuffer.allocate(max));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public String toString() { return socket.toString(); }
    }
}
