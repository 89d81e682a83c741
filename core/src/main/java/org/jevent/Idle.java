package org.jevent;

/**
 * An idle watcher ({@code ev_idle}): invoked with {@link #IDLE} in every iteration in which
 * nothing of its priority or a more urgent one is pending. While one is active the loop
 * polls without blocking, so use it for background work in small steps, and stop it when
 * the work is done. Only the most urgent level that has idle watchers is invoked.
 */
public final class Idle extends Watcher {
    Idle(EventBase base, WatcherCallback<Idle> callback) {
        super(base, null, -1, 0, callback);
    }

    @Override
    void onStart() {
        base.watch(event, base.idles);
    }

    @Override
    void onStop() {
        base.unwatch(event, base.idles);
    }
}
