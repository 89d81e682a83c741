package org.jevent;

/**
 * A cleanup watcher ({@code ev_cleanup}): invoked with {@link #CLEANUP} when the base is
 * {@linkplain EventBase#close closed}, before any other watcher is stopped, on the closing
 * thread; use it to release what lives as long as the base. It never keeps the loop alive
 * (it starts unreferenced).
 */
public final class Cleanup extends Watcher {
    Cleanup(EventBase base, WatcherCallback<Cleanup> callback) {
        super(base, null, -1, 0, callback);
        event.state |= Event.S_UNREF;
    }

    @Override
    void onStart() {
        base.watch(event, base.cleanups);
    }

    @Override
    void onStop() {
        base.unwatch(event, base.cleanups);
    }
}
