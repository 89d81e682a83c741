package org.jevent.internal;

import java.util.Arrays;

/**
 * The readiness entries one {@link Backend#poll} found, kept for {@link Backend#readyToken}
 * and {@link Backend#readyEvents}: the storage the poll, select and nio backends share (epoll
 * reads its kernel array in place). Grows by doubling, never shrinks, allocates nothing once
 * it is large enough.
 */
public final class ReadyList {
    private long[] tokens = new long[64];
    private int[] events = new int[64];
    private int size;

    /** Forgets the previous poll's entries. */
    public void clear() {
        size = 0;
    }

    public void add(long token, int readiness) {
        if (size == tokens.length) {
            tokens = Arrays.copyOf(tokens, size * 2);
            events = Arrays.copyOf(events, size * 2);
        }
        tokens[size] = token;
        events[size++] = readiness;
    }

    public int size() {
        return size;
    }

    public long token(int i) {
        return tokens[i];
    }

    public int events(int i) {
        return events[i];
    }
}
