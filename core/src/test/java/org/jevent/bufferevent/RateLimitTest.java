package org.jevent.bufferevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jevent.bufferevent.BufferEvent.CLOSE_ON_FREE;
import static org.jevent.bufferevent.BufferEvent.READ;
import static org.jevent.bufferevent.BufferEvent.WRITE;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.jevent.AllBackends;
import org.jevent.Event;
import org.jevent.net.StreamSocket;

/**
 * Rate limits on every backend, after libevent's regress rate-limit tests and test-ratelim:
 * rates measured against elapsed time, bursts, suspension, groups' totals and fairness.
 */
class RateLimitTest {
    private static final Duration TICK = Duration.ofMillis(50);
    /** 64 KiB/s in bytes per 50 ms tick. */
    private static final long RATE = 64 * 1024 / 20;

    /** A sender and a receiver over one socket pair; the receiver counts and drains what arrives. */
    private static final class Link {
        final SocketBufferEvent sender;
        final SocketBufferEvent receiver;
        long received;

        Link(World w, long bytes) {
            StreamSocket[] s = w.socketPair();
            sender = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            receiver = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE));
            sender.write(ByteBuffer.allocate((int) bytes));
        }

        void onReceive(Runnable afterEach) {
            receiver.setCallbacks(b -> {
                long n = b.getInput().length();
                b.getInput().drain(n);
                received += n;
                afterEach.run();
            }, null, null);
            receiver.enable(READ);
        }

        void close() {
            sender.close();
            receiver.close();
        }
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    @AllBackends
    void readLimitHoldsTheRate(String method) {
        try (World w = new World(method)) {
            Link link = new Link(w, 256 * 1024);
            link.receiver.setRateLimit(new TokenBucketConfig(RATE, RATE, TokenBucketConfig.MAX, TokenBucketConfig.MAX, TICK));
            long target = RATE + 12 * RATE; // the full bucket, then 12 ticks' worth: about 600 ms
            long start = System.nanoTime();
            double[] elapsed = {0};
            boolean[] suspendedNotDisabled = {false};
            link.onReceive(() -> {
                if (link.receiver.getReadLimit() <= 0 && link.receiver.getMaxToRead() == 0) {
                    suspendedNotDisabled[0] = (link.receiver.enabled() & READ) != 0;
                }
                if (link.received >= target) {
                    elapsed[0] = millisSince(start);
                    w.stop();
                }
            });
            w.run();
            assertThat(elapsed[0]).as("ms to read %d bytes at %d bytes per %s", target, RATE, TICK)
                    .isBetween(600 * 0.75, 600 * 1.25);
            assertThat(suspendedNotDisabled[0]).as("reading suspended, still enabled").isTrue();
            link.close();
        }
    }

    @AllBackends
    void writeLimitHoldsTheRate(String method) {
        try (World w = new World(method)) {
            Link link = new Link(w, 256 * 1024);
            link.sender.setRateLimit(new TokenBucketConfig(TokenBucketConfig.MAX, TokenBucketConfig.MAX, RATE, RATE, TICK));
            long target = RATE + 12 * RATE;
            long start = System.nanoTime();
            double[] elapsed = {0};
            link.onReceive(() -> {
                if (link.received >= target) {
                    elapsed[0] = millisSince(start);
                    w.stop();
                }
            });
            // The bytes were added before the limit: nothing was sent yet (writing waits for the loop).
            w.run();
            assertThat(elapsed[0]).isBetween(600 * 0.75, 600 * 1.25);
            assertThat(link.received).isLessThanOrEqualTo(target + RATE);
            assertThat(link.sender.enabled() & WRITE).isEqualTo(WRITE);
            link.close();
        }
    }

    @AllBackends
    void aFullBurstIsAvailableAtOnce(String method) {
        try (World w = new World(method)) {
            Duration tick = Duration.ofMillis(100);
            long rate = 1000;
            long burst = 40_000;
            Link link = new Link(w, 256 * 1024);
            link.receiver.setRateLimit(new TokenBucketConfig(rate, burst, TokenBucketConfig.MAX, TokenBucketConfig.MAX, tick));
            assertThat(link.receiver.getMaxToRead()).isEqualTo(burst);
            long target = burst + 3 * rate; // 3 ticks after the burst; 43 ticks if the burst were not there
            long start = System.nanoTime();
            double[] elapsed = {0};
            link.onReceive(() -> {
                if (link.received >= target) {
                    elapsed[0] = millisSince(start);
                    w.stop();
                }
            });
            w.run();
            assertThat(elapsed[0]).isBetween(200.0, 450.0);
            assertThat(link.received).isLessThan(burst + 4 * rate);
            link.close();
        }
    }

    @AllBackends
    void removingTheLimitLiftsIt(String method) {
        try (World w = new World(method)) {
            long total = 1 << 20;
            Link link = new Link(w, total);
            // 1 KiB per 100 ms: the megabyte would take 100 s.
            link.receiver.setRateLimit(new TokenBucketConfig(1024, 1024, 1024, 1024, Duration.ofMillis(100)));
            link.onReceive(() -> {
                if (link.receiver.getReadLimit() <= 0 && link.receiver.rateLimit() != null) {
                    assertThat(link.receiver.getMaxToRead()).isZero();
                    link.receiver.setRateLimit(null);
                    assertThat(link.receiver.getMaxToRead()).isEqualTo(link.receiver.maxSingleRead());
                }
                if (link.received == total) w.stop();
            });
            long start = System.nanoTime();
            w.run();
            assertThat(link.received).isEqualTo(total);
            assertThat(millisSince(start)).isLessThan(5000.0);
            assertThat(link.receiver.getReadLimit()).isEqualTo(Long.MAX_VALUE);
            link.close();
        }
    }

    @AllBackends
    void manualDecrementSuspendsUntilTheBucketRefills(String method) {
        try (World w = new World(method)) {
            Link link = new Link(w, 64 * 1024);
            link.receiver.setRateLimit(new TokenBucketConfig(RATE, RATE, RATE, RATE, TICK));
            // Overdraw by three ticks' worth: the next read may come only 3-4 ticks from now.
            link.receiver.decrementReadLimit(link.receiver.getReadLimit() + 3 * RATE);
            assertThat(link.receiver.getReadLimit()).isEqualTo(-3 * RATE);
            assertThat(link.receiver.getMaxToRead()).isZero();
            long start = System.nanoTime();
            double[] firstRead = {-1};
            link.onReceive(() -> {
                if (firstRead[0] < 0) {
                    firstRead[0] = millisSince(start);
                    w.stop();
                }
            });
            assertThat(link.receiver.enabled() & READ).isEqualTo(READ);
            w.run();
            assertThat(firstRead[0]).isBetween(2.0 * TICK.toMillis(), 4.0 * TICK.toMillis() + 100);
            // Giving tokens back resumes at once.
            link.receiver.decrementWriteLimit(RATE);
            assertThat(link.receiver.getWriteLimit()).isZero();
            link.receiver.decrementWriteLimit(-10);
            assertThat(link.receiver.getWriteLimit()).isEqualTo(10);
            link.close();
        }
    }

    @AllBackends
    void groupHoldsItsTotalRateAndIsFair(String method) {
        try (World w = new World(method)) {
            int members = 6;
            long groupRate = 3 * RATE; // 192 KiB/s shared by six readers: 32 KiB/s each
            TokenBucketConfig cfg = new TokenBucketConfig(groupRate, groupRate, TokenBucketConfig.MAX, TokenBucketConfig.MAX, TICK);
            RateLimitGroup group = new RateLimitGroup(w.base, cfg);
            Link[] links = new Link[members];
            for (int i = 0; i < members; i++) {
                links[i] = new Link(w, 512 * 1024);
                group.add(links[i].receiver);
                links[i].onReceive(() -> {});
            }
            assertThat(group.size()).isEqualTo(members);
            assertThat(links[0].receiver.rateLimitGroup()).isSameAs(group);
            long start = System.nanoTime();
            Event stop = w.base.newTimer((e, what) -> w.stop());
            stop.add(Duration.ofMillis(600));
            w.run();
            double seconds = millisSince(start) / 1000;
            stop.close();
            long total = 0;
            for (Link l : links) total += l.received;
            assertThat(group.totalRead()).isEqualTo(total);
            double expected = groupRate + groupRate * 20 * seconds;
            assertThat((double) total).as("group total after %.3f s", seconds).isBetween(expected * 0.75, expected * 1.25);
            for (Link l : links) {
                assertThat((double) l.received).as("a member's bytes of %d", total)
                        .isGreaterThanOrEqualTo(total / (double) members / 2);
            }
            group.resetTotals();
            assertThat(group.totalRead()).isZero();
            for (Link l : links) l.close();
            assertThat(group.size()).isZero();
            group.close();
        }
    }

    @AllBackends
    void groupMinShareAndDecrement(String method) {
        try (World w = new World(method)) {
            TokenBucketConfig cfg = new TokenBucketConfig(4096, 4096, 4096, 4096, Duration.ofMillis(100));
            RateLimitGroup group = new RateLimitGroup(w.base, cfg);
            assertThat(group.minShare()).isEqualTo(RateLimitGroup.DEFAULT_MIN_SHARE);
            group.setMinShare(512);
            Link a = new Link(w, 0);
            Link b = new Link(w, 0);
            group.add(a.receiver);
            group.add(b.receiver);
            assertThat(a.receiver.getMaxToRead()).isEqualTo(2048); // half the tick's budget
            // Nearly empty: each member may still read its minimum share.
            group.decrementRead(group.readLimit() - 10);
            assertThat(group.readLimit()).isEqualTo(10);
            assertThat(a.receiver.getMaxToRead()).isEqualTo(512);
            // Empty: suspended until the next refill, then resumed.
            group.decrementRead(10);
            assertThat(a.receiver.getMaxToRead()).isZero();
            assertThat(b.receiver.getMaxToRead()).isZero();
            group.decrementRead(-100);
            assertThat(a.receiver.getMaxToRead()).as("resumed, with the minimum share").isEqualTo(512);
            // A minimum share above the rates is capped by them.
            group.setMinShare(1_000_000);
            assertThat(group.minShare()).isEqualTo(4096);
            group.remove(a.receiver);
            assertThat(a.receiver.rateLimitGroup()).isNull();
            assertThat(a.receiver.getMaxToRead()).isEqualTo(a.receiver.maxSingleRead());
            a.close();
            b.close();
            group.close();
        }
    }

    @AllBackends
    void groupWithMembersCannotBeClosed(String method) {
        try (World w = new World(method)) {
            RateLimitGroup group = new RateLimitGroup(w.base, new TokenBucketConfig(100, 100, 100, 100, null));
            Link a = new Link(w, 0);
            group.add(a.receiver);
            org.assertj.core.api.Assertions.assertThatThrownBy(group::close).isInstanceOf(IllegalStateException.class);
            group.remove(a.receiver);
            group.close();
            a.close();
        }
    }

    @org.junit.jupiter.api.Test
    void configRejectsBadValues() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TokenBucketConfig(0, 1, 1, 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TokenBucketConfig(10, 5, 1, 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TokenBucketConfig(1, 1, 1, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new TokenBucketConfig(1, 1, 1, 1, null).tick()).isEqualTo(Duration.ofSeconds(1));
    }
}
