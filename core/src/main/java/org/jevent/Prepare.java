package org.jevent;

import java.time.Duration;

/**
 * A prepare watcher ({@code ev_prepare}; libevent 2.2's {@code evwatch_prepare}): invoked
 * with {@link #PREPARE} in each iteration just before the loop polls, most urgent priority
 * first. It may start watchers or make callbacks due; the loop computes how long to block
 * after the prepare watchers ran. A prepare watcher alone keeps the loop running, so
 * {@link #unref} it when it only serves other watchers.
 */
public final class Prepare extends Watcher {
    Prepare(EventBase base, WatcherCallback<Prepare> callback) {
        super(base, null, -1, 0, callback);
    }

    @Override
    void onStart() {
        base.watch(event, base.prepares);
    }

    @Override
    void onStop() {
        base.unwatch(event, base.prepares);
    }

    /**
     * {@code evwatch_prepare_get_timeout}: inside the callback, how long the poll of this
     * iteration was going to block when the prepare watchers were called (zero: not at all),
     * or null for no limit.
     */
    public Duration timeout() {
        return base.preparedTimeout();
    }
}
