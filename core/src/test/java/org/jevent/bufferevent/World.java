package org.jevent.bufferevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jevent.Event;
import org.jevent.EventBase;
import org.jevent.Harness;
import org.jevent.buffer.SegmentPool;
import org.jevent.net.ListenOptions;
import org.jevent.net.ServerSocket;
import org.jevent.net.StreamSocket;

/**
 * A bufferevent test's world: the {@link Harness} of the backend under test (descriptors and
 * events checked at the end), plus the check that every pooled segment came back and that
 * every bufferevent made here was closed.
 */
final class World implements AutoCloseable {
    static final Duration LIMIT = Duration.ofSeconds(20);

    final Harness harness;
    final EventBase base;
    private final long segmentsBefore;
    private final List<BufferEvent> made = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    World(String method) {
        segmentsBefore = SegmentPool.shared().inUse();
        harness = new Harness(method);
        base = harness.base;
    }

    /** A connected stream pair of the base's kind; closed at the end if the test did not. */
    StreamSocket[] socketPair() {
        Harness.Pair p = harness.pair();
        return new StreamSocket[] {p.a().socket(), p.b().socket()};
    }

    /** Remembers {@code bev} for the end-of-test check that it was closed. */
    <T extends BufferEvent> T track(T bev) {
        made.add(bev);
        return bev;
    }

    /** A listener on 127.0.0.1, closed at the end. */
    ServerSocket listener() {
        return listener(InetAddress.getLoopbackAddress());
    }

    ServerSocket listener(InetAddress address) {
        try {
            ServerSocket s = base.net().listen(new InetSocketAddress(address, 0), ListenOptions.defaults());
            closeables.add(s);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A socket to close at the end. */
    <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    /**
     * Runs the loop until a callback calls {@link #stop()}; fails after {@link #LIMIT}. A guard
     * timer keeps the loop from ending early and is gone afterwards.
     */
    void run() {
        boolean[] timedOut = {false};
        Event guard = base.newTimer((e, what) -> {
            timedOut[0] = true;
            base.loopBreak();
        });
        guard.add(LIMIT);
        try {
            base.dispatch();
        } finally {
            guard.close();
        }
        assertThat(timedOut[0]).as("the test finished within " + LIMIT).isFalse();
    }

    void stop() {
        base.loopBreak();
    }

    @Override
    public void close() {
        for (BufferEvent bev : made) {
            assertThat(bev.isClosed()).as(bev + " closed").isTrue();
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        harness.close();
        assertThat(SegmentPool.shared().inUse()).as("pooled segments in use").isEqualTo(segmentsBefore);
    }
}
