package org.jevent.bufferevent;

import java.io.IOException;
import org.jevent.Event;

/**
 * The callbacks a bufferevent has deferred to a later loop round (libevent's deferred
 * callback of a bufferevent): the event that runs them, which of them are due, and the
 * events and error for the event callback, or-ed together until it runs. Made on the first
 * deferral: most bufferevents never defer.
 */
final class DeferredCallbacks {
    static final int READ = 1, WRITE = 2, EVENT = 4;

    final Event runner;
    /** {@link #READ}, {@link #WRITE}, {@link #EVENT} bits of the callbacks due. */
    int due;
    int events;
    IOException error;

    DeferredCallbacks(Event runner) {
        this.runner = runner;
    }
}
