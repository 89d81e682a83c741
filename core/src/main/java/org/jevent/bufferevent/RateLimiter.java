package org.jevent.bufferevent;

import static org.jevent.bufferevent.BufferEvent.READ;
import static org.jevent.bufferevent.BufferEvent.SUSPEND_BW;
import static org.jevent.bufferevent.BufferEvent.SUSPEND_BW_GROUP;
import static org.jevent.bufferevent.BufferEvent.WRITE;

import java.util.concurrent.TimeUnit;
import org.jevent.Event;

/**
 * The rate limits of one socket bufferevent ({@code struct bufferevent_rate_limit}): its own
 * bucket, if it has a configuration, and its group, if any. Reading (writing) is suspended
 * ({@link BufferEvent#SUSPEND_BW}, {@link BufferEvent#SUSPEND_BW_GROUP}) while a bucket is
 * empty, never disabled. One timer event resumes it: armed for the tick that refills its
 * own bucket, and activated by the group when the group's bucket refills.
 *
 * <p>Everything here runs under the bufferevent's lock (the group's lock is taken inside).
 */
final class RateLimiter {
    private final SocketBufferEvent bev;
    /** Created with the limiter, closed with the bufferevent. */
    final Event timer;
    private final TokenBucket bucket = new TokenBucket();
    private TokenBucketConfig cfg;
    RateLimitGroup group;

    RateLimiter(SocketBufferEvent bev) {
        this.bev = bev;
        this.timer = bev.base.newTimer(bev::onRateTimer);
    }

    /** True while a limit or a group applies. */
    boolean active() {
        return cfg != null || group != null;
    }

    TokenBucketConfig config() {
        return cfg;
    }

    /** Sets the own limit (null: none), keeping the levels when only the rates change. */
    void configure(TokenBucketConfig newCfg) {
        if (newCfg != null && cfg != null && newCfg.tick().equals(cfg.tick())) {
            cfg = newCfg;
            bucket.clip(newCfg);
        } else {
            cfg = newCfg;
            if (newCfg != null) {
                bucket.fill(newCfg, newCfg.tickAt(bev.base.now()));
            }
        }
        recheck(READ);
        recheck(WRITE);
    }

    /** The own bucket's tokens for {@code dir} after refilling, or Long.MAX_VALUE without a limit. */
    long level(int dir) {
        if (cfg == null) {
            return Long.MAX_VALUE;
        }
        refill();
        return bucket.level(dir);
    }

    /** How much one read or write in {@code dir} may move now, at most {@code max}. */
    long allowance(int dir, long max) {
        if (cfg != null) {
            refill();
            max = Math.min(max, bucket.level(dir));
        }
        if (group != null) {
            max = Math.min(max, group.share(dir));
        }
        return Math.max(max, 0);
    }

    /** {@link #allowance} was 0: suspends {@code dir} until whichever bucket is empty refills. */
    void blocked(int dir) {
        if (cfg != null && bucket.level(dir) <= 0) {
            suspend(dir, SUSPEND_BW);
            armTimer();
        }
        if (group != null && group.suspended(dir)) {
            suspend(dir, SUSPEND_BW_GROUP);
        }
    }

    /** {@code n > 0} bytes moved in {@code dir}: charges the buckets, suspending if one emptied. */
    void moved(int dir, long n) {
        if (cfg != null && bucket.take(dir, n) <= 0) {
            suspend(dir, SUSPEND_BW);
            armTimer();
        }
        if (group != null && group.consumed(dir, n)) {
            suspend(dir, SUSPEND_BW_GROUP);
        }
    }

    /** {@code bufferevent_decrement_*_limit}: takes {@code n} tokens (negative: gives them). */
    void decrement(int dir, long n) {
        if (cfg == null) {
            throw new IllegalStateException("the bufferevent has no rate limit of its own");
        }
        refill();
        bucket.take(dir, n);
        recheck(dir);
    }

    void joined(RateLimitGroup g) {
        group = g;
        recheck(READ);
        recheck(WRITE);
    }

    void left() {
        group = null;
        recheck(READ);
        recheck(WRITE);
    }

    /** Called by the group, from any thread: its bucket refilled, so resume on our loop. */
    void wake() {
        timer.activate(Event.TIMEOUT);
    }

    /** The timer ran (own refill or the group's wake): resumes what may move again. */
    void resume() {
        recheck(READ);
        recheck(WRITE);
    }

    /** Suspends or resumes {@code dir} to match the buckets as they are now. */
    private void recheck(int dir) {
        if (cfg != null && level(dir) <= 0) {
            suspend(dir, SUSPEND_BW);
            armTimer();
        } else {
            unsuspend(dir, SUSPEND_BW);
        }
        if (group != null && group.suspended(dir)) {
            suspend(dir, SUSPEND_BW_GROUP);
        } else {
            unsuspend(dir, SUSPEND_BW_GROUP);
        }
    }

    private void refill() {
        bucket.refill(cfg, cfg.tickAt(bev.base.now()));
    }

    /** Arms the timer for the first tick at which an empty direction of the own bucket refills. */
    private void armTimer() {
        long at = Long.MAX_VALUE;
        for (int dir = READ; dir <= WRITE; dir <<= 1) {
            if (bucket.level(dir) <= 0) {
                at = Math.min(at, bucket.positiveAt(cfg, dir));
            }
        }
        if (at != Long.MAX_VALUE) {
            timer.add(cfg.nanosUntil(at, bev.base.now()), TimeUnit.NANOSECONDS);
        }
    }

    private void suspend(int dir, int reason) {
        if (dir == READ) {
            bev.suspendRead(reason);
        } else {
            bev.suspendWrite(reason);
        }
    }

    private void unsuspend(int dir, int reason) {
        if (dir == READ) {
            bev.unsuspendRead(reason);
        } else {
            bev.unsuspendWrite(reason);
        }
    }
}
