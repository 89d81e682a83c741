package org.jevent;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A wall-clock timer ({@code ev_periodic}): fires at times of the wall clock, whatever the
 * clock does in between. Three modes, as in libev:
 * <ul>
 *   <li><b>absolute</b> ({@link EventBase#periodic(Instant, WatcherCallback)}): once, when the
 *       wall clock reaches {@code at} (at once if that is past); then it stops. Setting the
 *       clock forward past {@code at} makes it fire; back, makes it wait.</li>
 *   <li><b>regular</b> ({@link EventBase#periodic(Instant, Duration, WatcherCallback)}): at
 *       every {@code offset + k * interval}, aligned to the wall clock (offset 0 and interval
 *       1 hour fire on the full hour, in UTC). After a clock change it fires at the next
 *       aligned time; missed times are not caught up.</li>
 *   <li><b>manual</b> ({@link EventBase#periodic(Rescheduler, WatcherCallback)}): a function
 *       gives each next time.</li>
 * </ul>
 * The loop compares the wall clock with the monotonic clock each iteration; when they
 * disagree by a second or more the clock was set, and every periodic's next time is computed
 * again. It never fires before its time by the wall clock; while periodics run, the loop
 * wakes at least once a minute to look at the clock.
 */
public final class Periodic extends Watcher {

    /**
     * {@code reschedule_cb}: the next time, strictly after {@code now}, both in nanoseconds
     * since the epoch. Called on the loop thread when the periodic starts, fires, or the
     * clock is set; it must not stop or start watchers.
     */
    @FunctionalInterface
    public interface Rescheduler {
        long next(Periodic periodic, long now);
    }

    private long offset, interval;
    private final Rescheduler rescheduler;

    Periodic(EventBase base, long offset, long interval, Rescheduler rescheduler, WatcherCallback<Periodic> callback) {
        super(base, null, -1, 0, callback);
        if (interval < 0) throw new IllegalArgumentException("negative interval");
        this.offset = offset;
        this.interval = interval;
        this.rescheduler = rescheduler;
    }

    /** Whether it fires more than once (regular or manual mode). */
    boolean repeats() {
        return interval > 0 || rescheduler != null;
    }

    /** The time it is due next when the wall clock shows {@code now} (epoch nanoseconds). */
    long nextTime(long now) {
        if (rescheduler != null) {
            long next = rescheduler.next(this, now);
            if (next <= now) throw new IllegalStateException("rescheduler returned a time not after now: " + next);
            return next;
        }
        if (interval == 0) return offset;
        // The first aligned time strictly after now.
        return offset + (Math.floorDiv(now - offset, interval) + 1) * interval;
    }

    @Override
    void onStart() {
        base.startPeriodic(event, this);
    }

    @Override
    void onStop() {
        base.stopPeriodic(event);
    }

    /**
     * {@code ev_periodic_set}: new offset (or absolute time) and interval, for a periodic
     * that is not manual; only while stopped.
     */
    public void set(Instant offset, Duration interval) {
        Objects.requireNonNull(offset);
        long nanos = interval.toNanos();
        if (nanos < 0) throw new IllegalArgumentException("negative interval");
        base.lock.lock();
        try {
            if (isActive()) throw new IllegalStateException("cannot set an active periodic: stop it first");
            if (rescheduler != null) throw new IllegalStateException("a manual periodic has no offset");
            this.offset = epochNanos(offset);
            this.interval = nanos;
        } finally {
            base.lock.unlock();
        }
    }

    /** {@code ev_periodic_again}: stops and starts it, computing its next time from now. */
    public void again() {
        base.lock.lock();
        try {
            stop();
            start();
        } finally {
            base.lock.unlock();
        }
    }

    /** {@code ev_periodic_at}: the wall-clock time it fires next, or null when stopped. */
    public Instant at() {
        base.lock.lock();
        try {
            return isActive() ? Instant.ofEpochSecond(0, event.deadline) : null;
        } finally {
            base.lock.unlock();
        }
    }

    /** {@code w->offset}: the absolute time or alignment offset. */
    public Instant offset() {
        return Instant.ofEpochSecond(0, offset);
    }

    /** {@code w->interval}: zero for absolute and manual periodics. */
    public Duration interval() {
        return Duration.ofNanos(interval);
    }

    static long epochNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
