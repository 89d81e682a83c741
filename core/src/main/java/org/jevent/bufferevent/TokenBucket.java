package org.jevent.bufferevent;

/**
 * A read and a write token count refilled per tick ({@code struct ev_token_bucket}). Levels
 * may go negative (a read took more than was left, or a manual decrement): the debt is paid
 * from later ticks. Refills are lazy, from the ticks elapsed since the last one. Not
 * thread-safe: the owner's lock guards it.
 */
final class TokenBucket {
    private long read;
    private long write;
    private long lastTick;

    /** A full bucket at {@code tick}. */
    void fill(TokenBucketConfig cfg, long tick) {
        read = cfg.readBurst();
        write = cfg.writeBurst();
        lastTick = tick;
    }

    /** A new configuration with the same tick: keep the levels, clipped to the new bursts. */
    void clip(TokenBucketConfig cfg) {
        read = Math.min(read, cfg.readBurst());
        write = Math.min(write, cfg.writeBurst());
    }

    /** Adds what the ticks since the last refill earned, up to the bursts; true if ticks passed. */
    boolean refill(TokenBucketConfig cfg, long tick) {
        long ticks = tick - lastTick;
        if (ticks <= 0) {
            return false;
        }
        lastTick = tick;
        read = refilled(read, ticks, cfg.readRate(), cfg.readBurst());
        write = refilled(write, ticks, cfg.writeRate(), cfg.writeBurst());
        return true;
    }

    private static long refilled(long level, long ticks, long rate, long burst) {
        if (level >= burst) {
            return level;
        }
        // Compare in ticks so that a long idle time cannot overflow ticks * rate.
        return ticks > (burst - level) / rate ? burst : level + ticks * rate;
    }

    long level(int dir) {
        return dir == BufferEvent.READ ? read : write;
    }

    /** Takes {@code n} tokens (negative: gives them); returns the new level. */
    long take(int dir, long n) {
        return dir == BufferEvent.READ ? (read -= n) : (write -= n);
    }

    /** The tick after which the level of {@code dir} is positive again. */
    long positiveAt(TokenBucketConfig cfg, int dir) {
        long level = level(dir);
        return level > 0 ? lastTick : lastTick + (-level) / cfg.rate(dir) + 1;
    }
}
