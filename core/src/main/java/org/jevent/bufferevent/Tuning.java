package org.jevent.bufferevent;

/**
 * A bufferevent's watermarks, timeouts and single read/write limits (libevent keeps them in
 * {@code struct bufferevent}). Most bufferevents keep the defaults, so they all share
 * {@link #DEFAULTS}, which is never changed; the first setter gives a bufferevent its own
 * copy ({@link BufferEvent#ownTuning()}). 60 bytes less per connection of a server that
 * tunes nothing, for one more load on the I/O paths.
 */
final class Tuning {
    static final Tuning DEFAULTS = new Tuning();

    long readLow, readHigh, writeLow, writeHigh;
    /** Negative: no timeout. */
    long readTimeoutNanos = -1, writeTimeoutNanos = -1;
    long maxSingleRead = BufferEvent.DEFAULT_MAX_SINGLE, maxSingleWrite = BufferEvent.DEFAULT_MAX_SINGLE;

    Tuning copy() {
        Tuning t = new Tuning();
        t.readLow = readLow;
        t.readHigh = readHigh;
        t.writeLow = writeLow;
        t.writeHigh = writeHigh;
        t.readTimeoutNanos = readTimeoutNanos;
        t.writeTimeoutNanos = writeTimeoutNanos;
        t.maxSingleRead = maxSingleRead;
        t.maxSingleWrite = maxSingleWrite;
        return t;
    }
}
