package org.jevent;

import java.util.Objects;

/**
 * What libev's watchers have in common ({@code ev_watcher}): a callback invoked on the loop
 * thread when something happens, {@link #start}ed and {@link #stop}ped, with a priority and
 * the user's attachment. Watchers are made by the base's factories ({@link EventBase#timer},
 * {@link EventBase#io}, {@link EventBase#idle}...) and are built on the same event machinery
 * as {@link Event}: the same timer heap, active queues, backend and wake-up.
 *
 * <p>Words, as in libev: a watcher is <em>active</em> ({@link #isActive}) from {@link #start}
 * to {@link #stop} (libevent would say pending), and <em>pending</em> ({@link #isPending})
 * when its callback is due in this iteration (libevent would say active). Stopping a pending
 * watcher also clears its pending callback. Every method is safe from any thread; none waits
 * for a callback running on another thread.
 *
 * <p>Fork watchers ({@code ev_fork}) are absent on purpose: a JVM cannot fork (its other
 * threads would not exist in the child), so there is nothing to notify.
 */
public abstract sealed class Watcher
        permits Timer, Periodic, Io, SignalWatcher, ChildWatcher, StatWatcher, Idle, Prepare, Check, Async,
                Cleanup, Embed {
    /** {@code EV_READ}. */
    public static final int READ = Event.READ;
    /** {@code EV_WRITE}. */
    public static final int WRITE = Event.WRITE;
    /** {@code EV_TIMER}: a {@link Timer} expired (libevent's {@link Event#TIMEOUT}). */
    public static final int TIMER = Event.TIMEOUT;
    /** {@code EV_SIGNAL}. */
    public static final int SIGNAL = Event.SIGNAL;
    /** {@code EV_PERIODIC}. */
    public static final int PERIODIC = 0x100;
    /** {@code EV_CHILD}. */
    public static final int CHILD = 0x200;
    /** {@code EV_STAT}. */
    public static final int STAT = 0x400;
    /** {@code EV_IDLE}. */
    public static final int IDLE = 0x800;
    /** {@code EV_PREPARE}. */
    public static final int PREPARE = 0x1000;
    /** {@code EV_CHECK}. */
    public static final int CHECK = 0x2000;
    /** {@code EV_EMBED}. */
    public static final int EMBED = 0x4000;
    /** {@code EV_CLEANUP}. */
    public static final int CLEANUP = 0x8000;
    /** {@code EV_ASYNC}. */
    public static final int ASYNC = 0x10000;
    /** {@code EV_CUSTOM}: free for the user's {@link #feed}. */
    public static final int CUSTOM = 0x20000;

    /** {@code EV_MINPRI}, {@code EV_MAXPRI}: libev's priority range. */
    public static final int MIN_PRIORITY = -2, MAX_PRIORITY = 2;

    final EventBase base;
    /** The event that carries this watcher through the loop. */
    final Event event;
    private final WatcherCallback<Watcher> callback;
    private int priority;

    @SuppressWarnings("unchecked")
    Watcher(EventBase base, Pollable handle, int signo, int events, WatcherCallback<? extends Watcher> callback) {
        this.base = base;
        this.callback = (WatcherCallback<Watcher>) Objects.requireNonNull(callback, "callback");
        this.event = new Event(base, handle, signo, events, (e, revents) -> invoke(revents));
        event.watcher = this;
        event.priority = (short) base.levelOfLibevPriority(0);
    }

    /** Runs the user's callback; kinds that do loop-side work first override it. */
    void invoke(int revents) {
        callback.onEvent(this, revents);
    }

    /** {@code ev_TYPE_start}: does nothing when already active. */
    public final void start() {
        boolean started = false;
        base.lock.lock();
        try {
            base.checkUsable(event);
            if (!base.isStarted(event)) {
                onStart();
                started = true;
            }
        } finally {
            base.lock.unlock();
        }
        if (started) afterStart();
    }

    /** {@code ev_TYPE_stop}: stops it and clears a pending callback; does nothing when stopped. */
    public final void stop() {
        base.lock.lock();
        try {
            onStop();
        } finally {
            base.lock.unlock();
        }
    }

    /** Starts the kind's mechanism; called with the base's lock held, when stopped. */
    abstract void onStart();

    /** Work of a start that must not hold the base's lock (waiting for another thread). */
    void afterStart() {}

    /** Stops it (idempotent) and clears the pending callback; called with the lock held. */
    abstract void onStop();

    /** {@code ev_is_active}: started and not stopped (a one-shot stops when it fires). */
    public final boolean isActive() {
        return base.isStarted(event);
    }

    /** {@code ev_is_pending}: its callback is due in this iteration. */
    public final boolean isPending() {
        return base.isActive(event);
    }

    /**
     * {@code ev_clear_pending}: the callback is not due any more; returns the reasons it was
     * due for ({@code revents}), 0 when it was not pending. The watcher stays active.
     */
    public final int clearPending() {
        return base.takePending(event);
    }

    /**
     * {@code ev_feed_event}: makes the callback due with {@code revents}, whether or not the
     * watcher is active, as if it had happened; feeding a pending watcher adds the bits.
     */
    public final void feed(int revents) {
        base.activate(event, revents, 1);
    }

    /** {@code ev_priority}: -2 (least urgent) .. 2 (most urgent), 0 by default. */
    public final int priority() {
        base.lock.lock();
        try {
            return priority;
        } finally {
            base.lock.unlock();
        }
    }

    /**
     * {@code ev_set_priority}: -2..2, only while neither active nor pending. Priorities map
     * onto the base's levels: 2 to level 0 (most urgent), -2 to the last level, 0 to the
     * middle; with {@code priorities(5)} the mapping is one to one. Whether they lock out less
     * urgent levels or only order callbacks is the base's {@link PriorityMode}.
     */
    public final void priority(int priority) {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " outside -2..2");
        }
        base.lock.lock();
        try {
            if (base.isStarted(event) || base.isActive(event)) {
                throw new IllegalStateException("cannot change the priority of an active or pending watcher");
            }
            this.priority = priority;
            event.priority = (short) base.levelOfLibevPriority(priority);
        } finally {
            base.lock.unlock();
        }
    }

    /**
     * {@code ev_unref}, per watcher: it no longer keeps {@link EventBase#run} (or
     * {@link EventBase#loop}) from returning when nothing else is left. Use it for watchers
     * that serve the loop itself rather than the application.
     */
    public final void unref() {
        base.reference(event, false);
    }

    /** {@code ev_ref}: undoes {@link #unref}. */
    public final void ref() {
        base.reference(event, true);
    }

    /** {@code ev_userdata} for the watcher ({@code w->data}): the user's object, null until {@link #attach}. */
    public final Object attachment() {
        return event.attachment();
    }

    /** Sets the user's object; returns this. */
    public final Watcher attach(Object value) {
        event.attach(value);
        return this;
    }

    /** The base the watcher belongs to ({@code EV_A}). */
    public final EventBase base() {
        return base;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (isActive() ? "active" : "stopped") + (isPending() ? ", pending]" : "]");
    }
}
