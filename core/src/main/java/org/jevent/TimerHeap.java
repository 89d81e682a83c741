package org.jevent;

import java.util.Arrays;

/**
 * A 4-ary min-heap of events ordered by {@link Event#deadline}, intrusive through
 * {@link Event#heapIndex}: O(1) peek, O(log n) add, remove and reschedule, no allocation
 * beyond growing the arrays.
 *
 * <p>Three libev tricks keep it fast with a million timers: four children per node halve the
 * depth of a binary heap; the deadlines are cached in a parallel {@code long[]}, so sifting
 * compares array elements instead of chasing a pointer to each event; and the root sits at
 * index {@value #ROOT}, not 0 (libev's {@code HEAP0}), so that the four sibling deadlines of
 * every node start 32 bytes into the array's 64-byte-aligned storage and share one cache line
 * (a large array's 16-byte header starts a region; element {@code 4k + 2} is then on a 32-byte
 * boundary, and the first child of any node is such an element).
 */
final class TimerHeap {
    /** Index of the root; the slots before it are unused. */
    private static final int ROOT = 1;

    private Event[] events = new Event[64];
    private long[] deadlines = new long[64];
    /** One past the last used slot: the heap holds {@code end - ROOT} events. */
    private int end = ROOT;

    int size() {
        return end - ROOT;
    }

    /** The event with the earliest deadline, or null. */
    Event peek() {
        return events[ROOT];
    }

    /** The earliest deadline; only valid when {@link #size()} is not 0. */
    long peekDeadline() {
        return deadlines[ROOT];
    }

    void add(Event e) {
        if (end == events.length) {
            events = Arrays.copyOf(events, end * 2);
            deadlines = Arrays.copyOf(deadlines, end * 2);
        }
        siftUp(end++, e, e.deadline);
    }

    void remove(Event e) {
        int i = e.heapIndex;
        e.heapIndex = -1;
        int last = --end;
        Event moved = events[last];
        long movedDeadline = deadlines[last];
        events[last] = null;
        if (i == last) return;
        // The moved element may belong above or below the hole.
        if (i > ROOT && movedDeadline < deadlines[parent(i)]) siftUp(i, moved, movedDeadline);
        else siftDown(i, moved, movedDeadline);
    }

    /** Restores order after {@code e.deadline} changed while in the heap. */
    void reschedule(Event e) {
        int i = e.heapIndex;
        long d = e.deadline;
        if (i > ROOT && d < deadlines[parent(i)]) siftUp(i, e, d);
        else siftDown(i, e, d);
    }

    /**
     * Restores order after many deadlines changed at once (Floyd's bottom-up heapify), e.g.
     * when {@code resume()} shifts every timer: re-reads each event's deadline into the cache.
     */
    void rebuild() {
        for (int i = ROOT; i < end; i++) deadlines[i] = events[i].deadline;
        if (end - ROOT < 2) return;
        for (int i = parent(end - 1); i >= ROOT; i--) siftDown(i, events[i], deadlines[i]);
    }

    private static int parent(int i) {
        return ((i - ROOT - 1) >> 2) + ROOT;
    }

    private static int firstChild(int i) {
        return ((i - ROOT) << 2) + ROOT + 1;
    }

    private void siftUp(int i, Event e, long d) {
        while (i > ROOT) {
            int parent = parent(i);
            long pd = deadlines[parent];
            if (d >= pd) break;
            Event p = events[parent];
            events[i] = p;
            deadlines[i] = pd;
            p.heapIndex = i;
            i = parent;
        }
        events[i] = e;
        deadlines[i] = d;
        e.heapIndex = i;
    }

    private void siftDown(int i, Event e, long d) {
        for (;;) {
            int first = firstChild(i);
            if (first >= end) break;
            int last = Math.min(first + 4, end);
            int min = first;
            long minDeadline = deadlines[first];
            for (int c = first + 1; c < last; c++) {
                long cd = deadlines[c];
                if (cd < minDeadline) {
                    min = c;
                    minDeadline = cd;
                }
            }
            if (minDeadline >= d) break;
            Event child = events[min];
            events[i] = child;
            deadlines[i] = minDeadline;
            child.heapIndex = i;
            i = min;
        }
        events[i] = e;
        deadlines[i] = d;
        e.heapIndex = i;
    }

    /** Calls {@code visitor} for each event, in heap order. */
    void forEach(java.util.function.Consumer<Event> visitor) {
        for (int i = ROOT; i < end; i++) visitor.accept(events[i]);
    }
}
