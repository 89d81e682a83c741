package org.jevent.internal.linux;

import java.util.Arrays;
import org.jevent.Event;

/**
 * Descriptors epoll refuses with EPERM (regular files, /dev/null): they never block, so
 * they are reported ready for their READ/WRITE interest at every poll, as libev's
 * {@code epoll_eperms} does. Expected to hold a handful of entries, hence linear search.
 *
 * <p>Changed under the core's lock while the loop thread may be polling, so both sides
 * synchronise here; {@link #isEmpty} is the lock-free fast path of every poll.
 */
final class AlwaysReadyFds {
    private static final int READINESS = Event.READ | Event.WRITE;

    private int[] fds = new int[4];
    private long[] tokens = new long[4];
    private int[] interests = new int[4];
    private volatile int size;

    // The last snapshot, owned by the polling thread.
    private long[] readyTokens = new long[4];
    private int[] readyEvents = new int[4];

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds {@code fd}, or replaces its token and interest. */
    synchronized void put(int fd, long token, int interest) {
        int i = indexOf(fd);
        if (i < 0) {
            i = size;
            if (i == fds.length) {
                fds = Arrays.copyOf(fds, 2 * i);
                tokens = Arrays.copyOf(tokens, 2 * i);
                interests = Arrays.copyOf(interests, 2 * i);
            }
            fds[i] = fd;
            size = i + 1;
        }
        tokens[i] = token;
        interests[i] = interest;
    }

    /** Whether {@code fd} is here (then it is never in the epoll set). */
    synchronized boolean contains(int fd) {
        return indexOf(fd) >= 0;
    }

    /** Removes {@code fd}; false when it was not here. */
    synchronized boolean remove(int fd) {
        int i = indexOf(fd);
        if (i < 0) return false;
        int last = size - 1;
        fds[i] = fds[last];
        tokens[i] = tokens[last];
        interests[i] = interests[last];
        size = last;
        return true;
    }

    /** Copies the entries with READ or WRITE interest into the ready snapshot; their count. */
    synchronized int snapshot() {
        if (readyTokens.length < size) {
            readyTokens = new long[fds.length];
            readyEvents = new int[fds.length];
        }
        int n = 0;
        for (int i = 0; i < size; i++) {
            int events = interests[i] & READINESS;
            if (events == 0) continue;
            readyTokens[n] = tokens[i];
            readyEvents[n] = events;
            n++;
        }
        return n;
    }

    long readyToken(int i) {
        return readyTokens[i];
    }

    int readyEvents(int i) {
        return readyEvents[i];
    }

    private int indexOf(int fd) {
        for (int i = 0; i < size; i++) if (fds[i] == fd) return i;
        return -1;
    }
}
