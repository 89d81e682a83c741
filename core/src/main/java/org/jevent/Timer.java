package org.jevent;

import java.time.Duration;

/**
 * A relative timer ({@code ev_timer}): fires {@code after} a delay and then, if
 * {@code repeat} is positive, every {@code repeat}, on the monotonic clock.
 *
 * <ul>
 *   <li>It never fires early: the delay counts from {@link EventBase#now()}, the time cached
 *       at the start of the iteration (as libev's counts from {@code ev_now}).</li>
 *   <li>Repeats do not drift: each deadline is the previous one plus {@code repeat}. A loop
 *       that fell behind fires it once (not once per missed period) and counts on from now.</li>
 *   <li>A one-shot timer is stopped when it fires, before its callback; a repeating one stays
 *       active. The callback may {@link #start}, {@link #stop} or {@link #again} it.</li>
 * </ul>
 * Start, stop and {@link #again} allocate nothing.
 */
public final class Timer extends Watcher {
    private long afterNanos, repeatNanos;

    Timer(EventBase base, long afterNanos, long repeatNanos, WatcherCallback<Timer> callback) {
        super(base, null, -1, 0, callback);
        set(afterNanos, repeatNanos);
    }

    /** {@code ev_timer_set}: new delays for the next start; only while stopped. */
    public void set(Duration after, Duration repeat) {
        set(after.toNanos(), repeat.toNanos());
    }

    private void set(long after, long repeat) {
        if (after < 0 || repeat < 0) throw new IllegalArgumentException("negative delay");
        base.lock.lock();
        try {
            if (isActive()) throw new IllegalStateException("cannot set an active timer: stop it first");
            afterNanos = after;
            repeatNanos = repeat;
        } finally {
            base.lock.unlock();
        }
    }

    @Override
    void onStart() {
        base.startTimer(event, afterNanos, repeatNanos);
    }

    @Override
    void onStop() {
        base.del(event, false);
    }

    /**
     * {@code ev_timer_again}: clears a pending callback; then a repeating timer (re)starts to
     * fire {@code repeat} from now, and a non-repeating one stops. The usual way to keep an
     * inactivity timeout: call it on every activity instead of stopping and starting.
     */
    public void again() {
        base.lock.lock();
        try {
            base.timerAgain(event, repeatNanos);
        } finally {
            base.lock.unlock();
        }
    }

    /**
     * {@code ev_timer_remaining}: while active, the time until it fires, counted from
     * {@link EventBase#now()} (zero when overdue); while stopped, the configured delay.
     */
    public Duration remaining() {
        base.lock.lock();
        try {
            Duration left = event.remaining();
            return left != null ? left : Duration.ofNanos(afterNanos);
        } finally {
            base.lock.unlock();
        }
    }

    /** {@code w->repeat}: the period, zero for a one-shot timer. */
    public Duration repeat() {
        base.lock.lock();
        try {
            return Duration.ofNanos(repeatNanos);
        } finally {
            base.lock.unlock();
        }
    }

    /**
     * Sets {@code w->repeat}, also while the timer runs: the change applies when it next fires
     * or on {@link #again}. Zero makes a running timer stop after it next fires.
     */
    public void repeat(Duration repeat) {
        long nanos = repeat.toNanos();
        if (nanos < 0) throw new IllegalArgumentException("negative repeat");
        base.lock.lock();
        try {
            repeatNanos = nanos;
            if (isActive()) base.repeat(event, nanos);
        } finally {
            base.lock.unlock();
        }
    }
}
