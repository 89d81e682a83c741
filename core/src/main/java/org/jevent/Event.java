package org.jevent;

import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An event ({@code struct event}): a callback to run when a handle becomes readable or
 * writable, a signal arrives, a timeout passes, or the event is activated by hand.
 *
 * <p>Lifecycle, as in libevent: an event is <em>initialised</em> by
 * {@link EventBase#newEvent} ({@code event_new}); {@link #add} makes it <em>pending</em>;
 * when its condition occurs it becomes <em>active</em> and its callback runs on the loop
 * thread. A non-{@link #PERSIST persistent} event stops being pending before its callback
 * runs (the callback may add it again); a persistent one stays pending, and its timeout, if
 * any, is re-armed: relative to the previous deadline when it fired by timeout, relative to
 * now otherwise. {@link #close} ({@code event_free}) deletes it for good.
 *
 * <p>Every method is safe from any thread. {@link #del} from another thread while the
 * callback runs waits for the callback to return, unless the event has {@link #FINALIZE};
 * from the loop thread (including its own callback) it never waits.
 */
public final class Event {
    /** {@code EV_TIMEOUT}: the timeout passed. */
    public static final int TIMEOUT = 0x01;
    /** {@code EV_READ}: readable (or, for a listening socket, a connection to accept). */
    public static final int READ = 0x02;
    /** {@code EV_WRITE}: writable (or a non-blocking connect finished). */
    public static final int WRITE = 0x04;
    /** {@code EV_SIGNAL}: a signal arrived; see {@link EventBase#newSignal}. */
    public static final int SIGNAL = 0x08;
    /** {@code EV_PERSIST}: stays pending after it fires. */
    public static final int PERSIST = 0x10;
    /** {@code EV_ET}: edge-triggered (needs {@link Feature#EDGE_TRIGGERED}). */
    public static final int ET = 0x20;
    /** {@code EV_FINALIZE}: {@link #del} never waits for a callback running on another thread. */
    public static final int FINALIZE = 0x40;
    /**
     * {@code EV_CLOSED}: the peer closed, detected without reading pending data (needs
     * {@link Feature#EARLY_CLOSE}; other backends never report it).
     */
    public static final int CLOSED = 0x80;

    // Bookkeeping state, guarded by the base's lock.
    static final int S_INSERTED = 1, S_TIMEOUT = 2, S_ACTIVE = 4, S_INTERNAL = 8, S_FINALIZING = 16,
            S_CLOSED = 32, S_ONCE = 64;
    /** A started watcher of a kind without descriptor, signal or timer (idle, async, periodic...). */
    static final int S_WATCHED = 128;
    /** Does not keep the loop alive ({@code ev_unref}). */
    static final int S_UNREF = 256;
    /** Any of these makes the event pending: it counts towards keeping the loop alive. */
    static final int S_PENDING = S_INSERTED | S_TIMEOUT | S_WATCHED;

    // Layout: only what every event uses lives here (72 bytes with compressed oops and a
    // 12-byte header); the rest is in an EventExtras made on first use.
    EventBase base;
    Pollable handle;
    EventCallback callback;
    /** The libev-style watcher this event carries, or null for a plain event. */
    Watcher watcher;
    private volatile Object attachment;
    /** Rarely used fields, null until {@link #extras()} makes them. */
    EventExtras extras;

    int state;
    /** The reasons of the current activation, while S_ACTIVE (watcher kinds need more than 16 bits). */
    int res;
    /** The flags, all below 0x100. */
    short events;
    /** The priority level, 0..255. */
    short priority;
    /** Absolute deadline on the {@link System#nanoTime()} clock, valid while S_TIMEOUT. */
    long deadline;
    /** This event's slot in the {@link TimerHeap} it is in, or -1. */
    int heapSlot = -1;
    /** Timeout to re-arm a persistent event with; -1 for none. */
    long timeoutNanos = -1;
    /** Index in the {@link ActiveQueue} of its level while active, else -1. */
    int activeIndex = -1;

    Event(EventBase base, Pollable handle, int signo, int events, EventCallback callback) {
        this.base = base;
        init(handle, signo, events, callback);
    }

    private Event(EventBase base, CommonTimeout owner) {
        this.base = base;
        this.state = S_INTERNAL;
        extras().ownerTimeout = owner;
    }

    static Event internal(EventBase base, CommonTimeout owner) {
        return new Event(base, owner);
    }

    /** The side object of the rarely used fields, made now if the event has none yet. */
    EventExtras extras() {
        EventExtras x = extras;
        return x != null ? x : (extras = new EventExtras());
    }

    /** The watched signal, or -1 (also for events that never had one). */
    int signo() {
        EventExtras x = extras;
        return x == null || x.signo == 0 ? -1 : x.signo;
    }

    /** The common timeout whose heap entry this internal event is, or null. */
    CommonTimeout ownerTimeout() {
        EventExtras x = extras;
        return x == null ? null : x.ownerTimeout;
    }

    /** The common timeout a persistent event's re-arm uses, or null. */
    CommonTimeout rearmTimeout() {
        EventExtras x = extras;
        return x == null ? null : x.rearmTimeout;
    }

    /** Sets the re-arm's common timeout; a plain timeout (null) makes no side object. */
    void rearmWith(CommonTimeout common) {
        if (common != null) extras().rearmTimeout = common;
        else if (extras != null) extras.rearmTimeout = null;
    }

    /** The common-timeout queue the event waits in, or null. */
    CommonTimeout commonTimeout() {
        EventExtras x = extras;
        return x == null ? null : x.commonTimeout;
    }

    private void init(Pollable handle, int signo, int events, EventCallback callback) {
        Objects.requireNonNull(callback, "callback");
        if ((events & SIGNAL) != 0 && (events & (READ | WRITE | CLOSED)) != 0) {
            throw new IllegalArgumentException("an event cannot watch a signal and I/O at once");
        }
        if (handle == null && (events & (READ | WRITE | CLOSED)) != 0) {
            throw new IllegalArgumentException("READ/WRITE/CLOSED need a handle");
        }
        this.handle = handle;
        if (signo > 0) extras().signo = signo;
        else if (extras != null) extras.signo = 0;
        this.events = (short) events;
        this.callback = callback;
        this.priority = (short) (base.priorities() / 2);
    }

    // ---- accessors (event_get_*) ----

    /** {@code event_get_base}. */
    public EventBase base() {
        return base;
    }

    /** The watched handle ({@code event_get_fd}), or null for timers and signals. */
    public Pollable handle() {
        return handle;
    }

    /** {@code event_get_fd}: the descriptor, the signal number for signal events, else -1. */
    public int fd() {
        return handle != null ? handle.fd() : signo();
    }

    /** {@code event_get_events}: the flags the event was created with. */
    public int events() {
        return events;
    }

    /** {@code event_get_callback}. */
    public EventCallback callback() {
        return callback;
    }

    /** {@code event_get_priority}. */
    public int priority() {
        return priority;
    }

    /** The user's object ({@code event_get_callback_arg}), null until {@link #attach}. */
    public Object attachment() {
        return attachment;
    }

    /** Sets the user's object; returns this. */
    public Event attach(Object value) {
        this.attachment = value;
        return this;
    }

    /** {@code event_initialized} after {@code event_free}: true once {@link #close} ran. */
    public boolean isClosed() {
        base.lock.lock();
        try {
            return (state & S_CLOSED) != 0;
        } finally {
            base.lock.unlock();
        }
    }

    // ---- operations ----

    /**
     * {@code event_priority_set}: 0 is the most urgent; must be below
     * {@link EventBase#priorities()}. Fails on an active event.
     */
    public void priority(int priority) {
        base.lock.lock();
        try {
            base.checkUsable(this);
            if (priority < 0 || priority >= base.priorities()) {
                throw new IllegalArgumentException("priority " + priority + " outside 0.." + (base.priorities() - 1));
            }
            if ((state & S_ACTIVE) != 0) throw new IllegalStateException("cannot change the priority of an active event");
            this.priority = (short) priority;
        } finally {
            base.lock.unlock();
        }
    }

    /** {@code event_add(ev, NULL)}: pending with no timeout (an existing timeout is kept). */
    public void add() {
        base.add(this, -1, null);
    }

    /** {@code event_add(ev, tv)}: pending, and active with {@link #TIMEOUT} after {@code timeout}. */
    public void add(Duration timeout) {
        base.add(this, timeout.toNanos(), null);
    }

    /** {@link #add(Duration)} without a Duration object. */
    public void add(long timeout, TimeUnit unit) {
        base.add(this, unit.toNanos(timeout), null);
    }

    /** {@code event_add} with a common timeout from {@link EventBase#commonTimeout}. */
    public void add(CommonTimeout timeout) {
        if (timeout.base != base) throw new IllegalArgumentException(timeout + " belongs to another base");
        base.add(this, timeout.nanos, timeout);
    }

    /**
     * {@code event_del}: no longer pending nor active. Waits for a callback of this event that
     * runs on another thread, unless the event has {@link #FINALIZE} or this is the loop thread.
     * Deleting a deleted event does nothing.
     */
    public void del() {
        base.del(this, true);
    }

    /** {@code event_del_noblock}: like {@link #del} but never waits. */
    public void delNoWait() {
        base.del(this, false);
    }

    /** {@code event_remove_timer}: drops the timeout, keeps I/O or signal interest. */
    public void removeTimer() {
        base.removeTimer(this);
    }

    /**
     * {@code event_active}: makes the event active with the reasons {@code what}, whether or
     * not it is pending; its callback runs in the loop's current or next iteration.
     */
    public void activate(int what) {
        base.activate(this, what, 1);
    }

    /**
     * {@code event_pending}: which of {@code what} ({@link #READ}, {@link #WRITE},
     * {@link #CLOSED}, {@link #SIGNAL}, {@link #TIMEOUT}) the event is pending or active on.
     */
    public int pending(int what) {
        return base.pending(this, what);
    }

    /** Time left before the timeout ({@code event_pending}'s tv_out), or null when none is set. */
    public Duration remaining() {
        long nanos = base.remainingNanos(this);
        return nanos < 0 ? null : Duration.ofNanos(nanos);
    }

    /**
     * {@code event_assign} on an existing event: new handle, flags and callback. The event
     * must be neither pending nor active.
     */
    public void assign(Pollable handle, int what, EventCallback callback) {
        base.lock.lock();
        try {
            base.checkUsable(this);
            if ((state & (S_INSERTED | S_TIMEOUT | S_ACTIVE)) != 0) {
                throw new IllegalStateException("cannot re-initialise a pending or active event: del() it first");
            }
            init(handle, handle == null ? -1 : signo(), what, callback);
        } finally {
            base.lock.unlock();
        }
    }

    /** {@code event_base_set}: moves a non-pending event to {@code other}. */
    public void setBase(EventBase other) {
        EventBase old = base;
        old.lock.lock();
        try {
            old.checkUsable(this);
            if ((state & (S_INSERTED | S_TIMEOUT | S_ACTIVE)) != 0) {
                throw new IllegalStateException("cannot move a pending or active event to another base");
            }
            base = other;
            priority = (short) Math.min(priority, other.priorities() - 1);
        } finally {
            old.lock.unlock();
        }
    }

    /**
     * {@code event_finalize}: deletes the event without waiting and runs {@code finalizer} on
     * the loop thread once no callback of the event is running. Use it to release what the
     * callback uses, from any thread, without risking a deadlock.
     */
    public void finalizeWith(Consumer<Event> finalizer) {
        base.finalizeEvent(this, finalizer, false);
    }

    /** {@code event_free_finalize}: {@link #finalizeWith}, then the event is closed. */
    public void closeWith(Consumer<Event> finalizer) {
        base.finalizeEvent(this, finalizer, true);
    }

    /** {@code event_free}: deletes (waiting as {@link #del} does) and closes the event. */
    public void close() {
        base.closeEvent(this);
    }

    /** The NIO channel of the handle, or null. */
    SelectableChannel channel() {
        return handle == null ? null : handle.channel();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Event[");
        if (handle != null) sb.append(handle);
        else if (signo() >= 0) sb.append("SIG").append(Signals.name(signo()));
        else sb.append("timer");
        sb.append(' ').append(EventBase.flagNames(events)).append(']');
        return sb.toString();
    }
}
