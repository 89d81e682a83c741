package org.jevent.internal;

import java.io.IOException;
import org.jevent.Pollable;

/**
 * The contract every I/O demultiplexer implements (libevent's {@code struct eventop},
 * mio's {@code Selector}). It is written once, here.
 *
 * <ul>
 *   <li>The core owns all bookkeeping: which events watch which handle, timers, priorities.
 *       A backend only knows, per handle, the union of interest bits and an opaque
 *       {@code token} that it hands back verbatim with readiness.</li>
 *   <li>{@link #update} is called with the core's lock held, only from one thread at a time.
 *       {@link #poll} is called by the loop thread with the lock released; {@link #wakeup}
 *       may be called from any thread at any time and makes a blocked or the next
 *       {@code poll} return promptly.</li>
 *   <li>Interest and readiness use the {@code org.jevent.Event} bits READ, WRITE, CLOSED and,
 *       for interest only, ET. A backend may report READ|WRITE for an error or hang-up,
 *       as poll(2) does; the core delivers only the bits an event asked for.</li>
 *   <li>Readiness entries are valid from the return of {@code poll} to the next call of it.
 *       Stale entries (for a handle removed meanwhile) are filtered by the core through the
 *       generation bits of the token.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** The method name as {@code event_base_get_method} reports it: "epoll", "poll", "select", "nio". */
    String name();

    /** Feature bits of {@link org.jevent.Feature}, as a mask. */
    int features();

    /**
     * Changes the interest set of one handle: {@code oldInterest == 0} adds it,
     * {@code newInterest == 0} removes it, anything else modifies it.
     */
    void update(Pollable handle, long token, int oldInterest, int newInterest) throws IOException;

    /**
     * Waits for readiness at most {@code timeoutNanos} (0 = do not block, negative = forever)
     * and returns the number of ready entries, 0 on timeout or wake-up.
     */
    int poll(long timeoutNanos) throws IOException;

    /** Token of ready entry {@code i}, {@code 0 <= i < poll()}'s result. */
    long readyToken(int i);

    /** Readiness bits of ready entry {@code i}. */
    int readyEvents(int i);

    /**
     * A descriptor that polls readable while this backend has readiness to report (libev's
     * {@code ev_backend_fd}, what {@code ev_embed} watches), or -1 when there is none. Only
     * epoll has one: its epoll descriptor, which also becomes readable on {@link #wakeup}.
     */
    default int pollableFd() {
        return -1;
    }

    /** Makes a concurrent or the next {@link #poll} return; safe from any thread. */
    void wakeup();

    /** Releases every resource (fds, selector, buffers); idempotent. */
    @Override
    void close();
}
