package org.jevent;

/**
 * An I/O watcher ({@code ev_io}): invoked with {@link #READ} and/or {@link #WRITE} while its
 * handle is ready for them (level-triggered); stays active until stopped. A thin wrapper over
 * a persistent {@link Event} on the same handle registry, so Io watchers and events may watch
 * one descriptor together.
 */
public final class Io extends Watcher {
    Io(EventBase base, Pollable handle, int events, WatcherCallback<Io> callback) {
        super(base, handle, -1, checked(events) | Event.PERSIST, callback);
    }

    private static int checked(int events) {
        if (events == 0 || (events & ~(READ | WRITE)) != 0) throw new IllegalArgumentException("events must be READ and/or WRITE");
        return events;
    }

    @Override
    void onStart() {
        event.add();
    }

    @Override
    void onStop() {
        base.del(event, false);
    }

    /** {@code ev_io_set} / {@code ev_io_modify}: what to watch for; only while stopped. */
    public void set(int events) {
        int checked = checked(events);
        base.lock.lock();
        try {
            if (isActive()) throw new IllegalStateException("cannot modify an active io watcher: stop it first");
            event.events = (short) (checked | Event.PERSIST);
        } finally {
            base.lock.unlock();
        }
    }

    /** {@code w->events}: {@link #READ}, {@link #WRITE} or both. */
    public int events() {
        return event.events & (READ | WRITE);
    }

    /** {@code w->fd}: the watched handle. */
    public Pollable handle() {
        return event.handle;
    }
}
