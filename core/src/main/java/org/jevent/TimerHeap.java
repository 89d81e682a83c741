package org.jevent;

import java.util.Arrays;

/**
 * A 4-ary min-heap of events ordered by {@link Event#deadline}, intrusive through
 * {@link Event#heapIndex}: O(1) peek, O(log n) add, remove and reschedule, no allocation
 * beyond growing the arrays.
 *
 * <p>Two libev tricks keep it fast with a million timers: four children per node halve the
 * depth of a binary heap and put siblings in one cache line, and the deadlines are cached in
 * a parallel {@code long[]}, so sifting compares array elements instead of chasing a pointer
 * to each event.
 */
final class TimerHeap {
    private Event[] events = new Event[64];
    private long[] deadlines = new long[64];
    private int size;

    int size() {
        return size;
    }

    /** The event with the earliest deadline, or null. */
    Event peek() {
        return size == 0 ? null : events[0];
    }

    /** The earliest deadline; only valid when {@link #size()} is not 0. */
    long peekDeadline() {
        return deadlines[0];
    }

    void add(Event e) {
        if (size == events.length) {
            events = Arrays.copyOf(events, size * 2);
            deadlines = Arrays.copyOf(deadlines, size * 2);
        }
        siftUp(size++, e, e.deadline);
    }

    void remove(Event e) {
        int i = e.heapIndex;
        e.heapIndex = -1;
        int last = --size;
        Event moved = events[last];
        long movedDeadline = deadlines[last];
        events[last] = null;
        if (i == last) return;
        // The moved element may belong above or below the hole.
        if (i > 0 && movedDeadline < deadlines[(i - 1) >> 2]) siftUp(i, moved, movedDeadline);
        else siftDown(i, moved, movedDeadline);
    }

    /** Restores order after {@code e.deadline} changed while in the heap. */
    void reschedule(Event e) {
        int i = e.heapIndex;
        long d = e.deadline;
        if (i > 0 && d < deadlines[(i - 1) >> 2]) siftUp(i, e, d);
        else siftDown(i, e, d);
    }

    /**
     * Restores order after many deadlines changed at once (Floyd's bottom-up heapify), e.g.
     * when {@code resume()} shifts every timer: re-reads each event's deadline into the cache.
     */
    void rebuild() {
        for (int i = 0; i < size; i++) deadlines[i] = events[i].deadline;
        for (int i = (size - 2) >> 2; i >= 0; i--) siftDown(i, events[i], deadlines[i]);
    }

    private void siftUp(int i, Event e, long d) {
        while (i > 0) {
            int parent = (i - 1) >> 2;
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
            int first = (i << 2) + 1;
            if (first >= size) break;
            int end = Math.min(first + 4, size);
            int min = first;
            long minDeadline = deadlines[first];
            for (int c = first + 1; c < end; c++) {
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
        for (int i = 0; i < size; i++) visitor.accept(events[i]);
    }
}
