package org.jevent;

/**
 * A check watcher ({@code ev_check}; libevent 2.2's {@code evwatch_check}): invoked with
 * {@link #CHECK} in each iteration just after the loop polled, updated the time and queued
 * what became due, before any of those callbacks run; most urgent priority first. Paired
 * with a {@link Prepare}, it brackets the poll (to integrate another library's loop, say).
 */
public final class Check extends Watcher {
    Check(EventBase base, WatcherCallback<Check> callback) {
        super(base, null, -1, 0, callback);
    }

    @Override
    void onStart() {
        base.watch(event, base.checks);
    }

    @Override
    void onStop() {
        base.unwatch(event, base.checks);
    }
}
