package org.jevent.bufferevent;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import org.jevent.Event;
import org.jevent.EventBase;

/**
 * Socket bufferevents sharing one read and one write budget
 * ({@code struct bufferevent_rate_limit_group}). Members may also have their own limit
 * ({@link SocketBufferEvent#setRateLimit}); both apply.
 *
 * <h2>Sharing</h2>
 * One read (write) takes at most the group's bucket as it was at the start of the tick
 * divided by the member count, and no more than is left, but never less than the
 * {@linkplain #setMinShare minimum share} (64 bytes by default), so every member keeps
 * moving when the group is nearly empty. (libevent divides what is left now; dividing the
 * tick's budget makes the share independent of the order in which members read.)
 *
 * <h2>Running out</h2>
 * When the group's bucket is empty, reading (writing) of every member is suspended
 * ({@code BEV_SUSPEND_BW_GROUP}: not disabled) until the tick that refills it. Then all
 * members are resumed together, each reading or writing at once, starting with a different
 * member every time, so that no member starves. The group's timer runs on the base given
 * at creation, which must be dispatching; members may live on other bases.
 *
 * <h2>Threads</h2>
 * The group has its own lock, taken after a member's lock, never before.
 */
public final class RateLimitGroup implements AutoCloseable {
    /** libevent's default {@link #setMinShare minimum share}. */
    public static final long DEFAULT_MIN_SHARE = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final Event timer;
    private final TokenBucket bucket = new TokenBucket();
    private TokenBucketConfig cfg;
    /** The bucket's level right after its last refill: what the tick's shares divide. */
    private long tickRead, tickWrite;
    private boolean readSuspended, writeSuspended;
    private boolean timerArmed;
    private RateLimiter[] members = new RateLimiter[4];
    private int count;
    /** Which member is resumed first next time. */
    private int rotation;
    private long configuredMinShare = DEFAULT_MIN_SHARE, minShare;
    private long totalRead, totalWritten;
    private boolean closed;

    /** {@code bufferevent_rate_limit_group_new}: an empty group limited by {@code cfg}. */
    public RateLimitGroup(EventBase base, TokenBucketConfig cfg) {
        timer = base.newTimer(this::onTick);
        this.cfg = cfg;
        bucket.fill(cfg, cfg.tickAt(System.nanoTime()));
        tickRead = cfg.readBurst();
        tickWrite = cfg.writeBurst();
        minShare = effectiveMinShare();
    }

    /**
     * {@code bufferevent_rate_limit_group_set_cfg}: new rates. With the same tick the levels
     * are kept, clipped to the new bursts; with another tick the bucket starts full.
     */
    public void setConfig(TokenBucketConfig newCfg) {
        lock.lock();
        try {
            if (newCfg.tick().equals(cfg.tick())) {
                bucket.clip(newCfg);
            } else {
                bucket.fill(newCfg, newCfg.tickAt(System.nanoTime()));
            }
            cfg = newCfg;
            tickRead = Math.min(tickRead, newCfg.readBurst());
            tickWrite = Math.min(tickWrite, newCfg.writeBurst());
            minShare = effectiveMinShare();
            resumeIfRefilled();
        } finally {
            lock.unlock();
        }
    }

    /** The current configuration. */
    public TokenBucketConfig config() {
        lock.lock();
        try {
            return cfg;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code bufferevent_rate_limit_group_set_min_share}: the least one member may read or
     * write at a time, even when the group has less left (0: no minimum). It is capped by
     * the group's rates, as in libevent.
     */
    public void setMinShare(long bytes) {
        if (bytes < 0 || bytes > TokenBucketConfig.MAX) {
            throw new IllegalArgumentException("min share " + bytes);
        }
        lock.lock();
        try {
            configuredMinShare = bytes;
            minShare = effectiveMinShare();
        } finally {
            lock.unlock();
        }
    }

    private long effectiveMinShare() {
        return Math.min(configuredMinShare, Math.min(cfg.readRate(), cfg.writeRate()));
    }

    /** The minimum share in effect (the configured one capped by the rates). */
    public long minShare() {
        lock.lock();
        try {
            return minShare;
        } finally {
            lock.unlock();
        }
    }

    /** {@code bufferevent_rate_limit_group_get_totals}: bytes read by members since the last reset. */
    public long totalRead() {
        lock.lock();
        try {
            return totalRead;
        } finally {
            lock.unlock();
        }
    }

    /** {@code bufferevent_rate_limit_group_get_totals}: bytes written by members since the last reset. */
    public long totalWritten() {
        lock.lock();
        try {
            return totalWritten;
        } finally {
            lock.unlock();
        }
    }

    /** {@code bufferevent_rate_limit_group_reset_totals}. */
    public void resetTotals() {
        lock.lock();
        try {
            totalRead = totalWritten = 0;
        } finally {
            lock.unlock();
        }
    }

    /** {@code bufferevent_rate_limit_group_get_read_limit}: tokens left in the read bucket (may be negative). */
    public long readLimit() {
        return level(BufferEvent.READ);
    }

    /** {@code bufferevent_rate_limit_group_get_write_limit}: tokens left in the write bucket. */
    public long writeLimit() {
        return level(BufferEvent.WRITE);
    }

    private long level(int dir) {
        lock.lock();
        try {
            refill();
            return bucket.level(dir);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code bufferevent_rate_limit_group_decrement_read}: takes {@code bytes} from the read
     * bucket (negative: adds), suspending or resuming the members' reading as the bucket
     * empties or refills.
     */
    public void decrementRead(long bytes) {
        decrement(BufferEvent.READ, bytes);
    }

    /** {@code bufferevent_rate_limit_group_decrement_write}: as {@link #decrementRead} for writing. */
    public void decrementWrite(long bytes) {
        decrement(BufferEvent.WRITE, bytes);
    }

    private void decrement(int dir, long bytes) {
        checkAmount(bytes);
        lock.lock();
        try {
            refill();
            take(dir, bytes);
            resumeIfRefilled();
        } finally {
            lock.unlock();
        }
    }

    static void checkAmount(long bytes) {
        if (Math.abs(bytes) > TokenBucketConfig.MAX) {
            throw new IllegalArgumentException("decrement " + bytes + " beyond +-" + TokenBucketConfig.MAX);
        }
    }

    /**
     * {@code bufferevent_add_to_rate_limit_group}: makes {@code bev} a member, leaving its
     * previous group if any.
     */
    public void add(SocketBufferEvent bev) {
        bev.joinGroup(this);
    }

    /** {@code bufferevent_remove_from_rate_limit_group}: {@code bev} leaves this group. */
    public void remove(SocketBufferEvent bev) {
        bev.leaveGroup(this);
    }

    /** How many bufferevents are members. */
    public int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code bufferevent_rate_limit_group_free}: stops the group's timer.
     *
     * @throws IllegalStateException if bufferevents are still members (remove or close them first)
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (count > 0) {
                throw new IllegalStateException("the group still has " + count + " members");
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        timer.close();
    }

    // ---------------------------------------------------------------- for members (member's lock held)

    void addMember(RateLimiter member) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("rate limit group closed");
            }
            if (count == members.length) {
                members = Arrays.copyOf(members, count * 2);
            }
            members[count++] = member;
        } finally {
            lock.unlock();
        }
    }

    void removeMember(RateLimiter member) {
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                if (members[i] == member) {
                    members[i] = members[--count];
                    members[count] = null;
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** What one read or write of a member may move now: 0 while the group is suspended. */
    long share(int dir) {
        lock.lock();
        try {
            refill();
            if (suspended(dir)) {
                return 0;
            }
            long tickBudget = dir == BufferEvent.READ ? tickRead : tickWrite;
            long share = Math.min(tickBudget / Math.max(count, 1), bucket.level(dir));
            return Math.max(share, Math.max(minShare, 1));
        } finally {
            lock.unlock();
        }
    }

    /** A member moved {@code n} bytes; returns true if the group is now suspended in that direction. */
    boolean consumed(int dir, long n) {
        lock.lock();
        try {
            if (dir == BufferEvent.READ) {
                totalRead += n;
            } else {
                totalWritten += n;
            }
            take(dir, n);
            return suspended(dir);
        } finally {
            lock.unlock();
        }
    }

    boolean suspended(int dir) {
        lock.lock();
        try {
            return dir == BufferEvent.READ ? readSuspended : writeSuspended;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- machinery (group lock held)

    private void refill() {
        if (bucket.refill(cfg, cfg.tickAt(System.nanoTime()))) {
            tickRead = bucket.level(BufferEvent.READ);
            tickWrite = bucket.level(BufferEvent.WRITE);
        }
    }

    private void take(int dir, long n) {
        if (bucket.take(dir, n) <= 0 && !suspended(dir)) {
            if (dir == BufferEvent.READ) {
                readSuspended = true;
            } else {
                writeSuspended = true;
            }
            armTimer();
        }
    }

    /** Arms the timer for the tick that makes the first empty direction positive again. */
    private void armTimer() {
        if (timerArmed || closed) {
            return;
        }
        long at = Long.MAX_VALUE;
        if (readSuspended) {
            at = bucket.positiveAt(cfg, BufferEvent.READ);
        }
        if (writeSuspended) {
            at = Math.min(at, bucket.positiveAt(cfg, BufferEvent.WRITE));
        }
        timerArmed = true;
        timer.add(cfg.nanosUntil(at, System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void onTick(Event e, int what) {
        lock.lock();
        try {
            timerArmed = false;
            if (closed) {
                return;
            }
            refill();
            resumeIfRefilled();
        } finally {
            lock.unlock();
        }
    }

    /** Resumes the directions whose bucket is positive again, and re-arms for the others. */
    private void resumeIfRefilled() {
        boolean resumed = false;
        if (readSuspended && bucket.level(BufferEvent.READ) > 0) {
            readSuspended = false;
            resumed = true;
        }
        if (writeSuspended && bucket.level(BufferEvent.WRITE) > 0) {
            writeSuspended = false;
            resumed = true;
        }
        if (readSuspended || writeSuspended) {
            armTimer();
        }
        if (resumed && count > 0) {
            // Each member's own timer event runs on its loop and resumes it; the first one
            // activated reads or writes first, so start somewhere else every time.
            int first = Math.floorMod(rotation++, count);
            for (int i = 0; i < count; i++) {
                members[(first + i) % count].wake();
            }
        }
    }
}
