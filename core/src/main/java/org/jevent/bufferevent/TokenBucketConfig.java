package org.jevent.bufferevent;

import java.time.Duration;

/**
 * How fast a rate-limited bufferevent or {@link RateLimitGroup} may read and write
 * ({@code ev_token_bucket_cfg_new}): per direction, a rate in bytes per {@code tick} and a
 * burst, the most the bucket holds after idle ticks. A bucket starts full (see
 * {@link SocketBufferEvent#setRateLimit}).
 *
 * @param readRate   bytes added to the read bucket every tick, 1..{@link #MAX}
 * @param readBurst  most bytes the read bucket holds, readRate..{@link #MAX}
 * @param writeRate  bytes added to the write bucket every tick, 1..{@link #MAX}
 * @param writeBurst most bytes the write bucket holds, writeRate..{@link #MAX}
 * @param tick       the refill period; null means one second, as in libevent
 */
public record TokenBucketConfig(long readRate, long readBurst, long writeRate, long writeBurst, Duration tick) {
    /**
     * The largest rate or burst ({@code EV_RATE_LIMIT_MAX}); use it for a direction that
     * should in effect not be limited.
     */
    public static final long MAX = Integer.MAX_VALUE;

    public TokenBucketConfig {
        check("read", readRate, readBurst);
        check("write", writeRate, writeBurst);
        if (tick == null) {
            tick = Duration.ofSeconds(1);
        }
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive: " + tick);
        }
    }

    private static void check(String what, long rate, long burst) {
        if (rate < 1 || burst < rate || burst > MAX) {
            throw new IllegalArgumentException(what + " rate " + rate + " and burst " + burst
                    + ": need 1 <= rate <= burst <= " + MAX);
        }
    }

    /** The tick in nanoseconds. */
    long tickNanos() {
        return tick.toNanos();
    }

    /** The tick number at monotonic time {@code nanos}; ticks are aligned to the clock, as in libevent. */
    long tickAt(long nanos) {
        return Math.floorDiv(nanos, tick.toNanos());
    }

    /** Nanoseconds from {@code nanos} until tick {@code tick} starts (at least 1). */
    long nanosUntil(long tick, long nanos) {
        return Math.max(1, tick * this.tick.toNanos() - nanos);
    }

    long rate(int dir) {
        return dir == BufferEvent.READ ? readRate : writeRate;
    }

    long burst(int dir) {
        return dir == BufferEvent.READ ? readBurst : writeBurst;
    }
}
