package org.jevent;

/**
 * An event ({@code struct event}).
 */
public final class Event {
    /** {@code EV_TIMEOUT}: the timeout passed. */
    public static final int TIMEOUT = 0x01;
    /** {@code EV_READ}: readable. */
    public static final int READ = 0x02;
    /** {@code EV_WRITE}: writable. */
    public static final int WRITE = 0x04;
    /** {@code EV_SIGNAL}: a signal arrived. */
    public static final int SIGNAL = 0x08;
    /** {@code EV_PERSIST}: stays pending after it fires. */
    public static final int PERSIST = 0x10;
    /** {@code EV_ET}: edge-triggered (needs {@link Feature#EDGE_TRIGGERED}). */
    public static final int ET = 0x20;
    /** {@code EV_FINALIZE}: del never waits for a callback running on another thread. */
    public static final int FINALIZE = 0x40;
    /** {@code EV_CLOSED}: the peer closed (needs {@link Feature#EARLY_CLOSE}). */
    public static final int CLOSED = 0x80;
}
