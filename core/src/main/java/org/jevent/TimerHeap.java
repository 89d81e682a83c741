package org.jevent;

import java.util.Arrays;

/**
 * A 4-ary min-heap of events ordered by {@link Event#deadline}: O(1) peek, O(log n) add,
 * remove and reschedule, no allocation beyond growing the arrays.
 *
 * <p>libev's tricks keep it fast with a million timers: four children per node halve the
 * depth of a binary heap; the deadlines are cached in a {@code long[]}, so sifting compares
 * array elements instead of chasing a pointer to each event; and the root sits at index
 * {@value #ROOT}, not 0 (libev's {@code HEAP0}), so that the four sibling deadlines of every
 * node share one cache line when the array is 64-byte aligned, as G1 places large arrays (after
 * the 16-byte header, the first child of any node, element {@code 4k + 2}, starts a 32-byte
 * block).
 *
 * <p>One more for the JVM: the heap orders int <em>slots</em>, not event references. An event
 * gets a slot when added ({@link Event#heapSlot}) and keeps it while it is in the heap; the
 * event of a slot and the slot's heap position live in tables indexed by slot. A sift step then
 * moves ints and longs only: it neither writes a reference (each of which costs the garbage
 * collector's card-marking barrier) nor touches the moved events.
 */
final class TimerHeap {
    /** Index of the root; the positions before it are unused. */
    private static final int ROOT = 1;

    /** In heap order: the slot and the deadline at each position. */
    private int[] order = new int[64];
    private long[] deadlines = new long[64];
    /** One past the last used position: the heap holds {@code end - ROOT} events. */
    private int end = ROOT;

    /** By slot: the event and its position in the heap. */
    private Event[] events = new Event[64];
    private int[] positions = new int[64];
    /** Slots released by removals, reused first; {@code slotCount} slots were ever handed out. */
    private int[] freeSlots = new int[64];
    private int freeCount, slotCount;
    /**
     * The event at the root, fetched (and written to) whenever the root changes: the loop
     * that expires timers reads it next, and the cache miss overlaps with the rest of the sift
     * instead of stalling that loop.
     */
    private Event root;

    int size() {
        return end - ROOT;
    }

    /** The event with the earliest deadline, or null. */
    Event peek() {
        return end == ROOT ? null : root;
    }

    /** The earliest deadline; only valid when {@link #size()} is not 0. */
    long peekDeadline() {
        return deadlines[ROOT];
    }

    /** Whether {@code e} is in this heap (or, for an event of another heap, in that one). */
    static boolean contains(Event e) {
        return e.heapSlot >= 0;
    }

    void add(Event e) {
        int slot = freeCount > 0 ? freeSlots[--freeCount] : newSlot();
        events[slot] = e;
        e.heapSlot = slot;
        if (end == order.length) {
            order = Arrays.copyOf(order, end * 2);
            deadlines = Arrays.copyOf(deadlines, end * 2);
        }
        siftUp(end++, slot, e.deadline);
    }

    private int newSlot() {
        if (slotCount == events.length) {
            events = Arrays.copyOf(events, slotCount * 2);
            positions = Arrays.copyOf(positions, slotCount * 2);
            freeSlots = Arrays.copyOf(freeSlots, slotCount * 2);
        }
        return slotCount++;
    }

    void remove(Event e) {
        int slot = e.heapSlot;
        e.heapSlot = -1;
        events[slot] = null;
        freeSlots[freeCount++] = slot;
        int i = e == root ? ROOT : positions[slot]; // expiry removes the root: no table read
        int last = --end;
        int moved = order[last];
        long movedDeadline = deadlines[last];
        if (i == last) {
            if (last == ROOT) root = null;
            return;
        }
        // The moved element may belong above or below the hole.
        if (i > ROOT && movedDeadline < deadlines[parent(i)]) siftUp(i, moved, movedDeadline);
        else siftDown(i, moved, movedDeadline);
    }

    /** Restores order after {@code e.deadline} changed while in the heap. */
    void reschedule(Event e) {
        int slot = e.heapSlot;
        int i = positions[slot];
        long d = e.deadline;
        if (i > ROOT && d < deadlines[parent(i)]) siftUp(i, slot, d);
        else siftDown(i, slot, d);
    }

    /**
     * Restores order after many deadlines changed at once (Floyd's bottom-up heapify), e.g.
     * when {@code resume()} shifts every timer: re-reads each event's deadline into the cache.
     */
    void rebuild() {
        for (int i = ROOT; i < end; i++) deadlines[i] = events[order[i]].deadline;
        if (end - ROOT < 2) return;
        for (int i = parent(end - 1); i >= ROOT; i--) siftDown(i, order[i], deadlines[i]);
    }

    private static int parent(int i) {
        return ((i - ROOT - 1) >> 2) + ROOT;
    }

    private static int firstChild(int i) {
        return ((i - ROOT) << 2) + ROOT + 1;
    }

    private void siftUp(int i, int slot, long d) {
        while (i > ROOT) {
            int parent = parent(i);
            long pd = deadlines[parent];
            if (d >= pd) break;
            place(i, order[parent], pd);
            i = parent;
        }
        place(i, slot, d);
    }

    private void siftDown(int i, int slot, long d) {
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
            place(i, order[min], minDeadline);
            i = min;
        }
        place(i, slot, d);
    }

    private void place(int i, int slot, long d) {
        order[i] = slot;
        deadlines[i] = d;
        positions[slot] = i;
        if (i == ROOT) {
            root = events[slot];
            // A store, not a load: it brings the event's line into the cache without stalling.
            root.heapSlot = slot;
        }
    }

    /** Calls {@code visitor} for each event, in heap order. */
    void forEach(java.util.function.Consumer<Event> visitor) {
        for (int i = ROOT; i < end; i++) visitor.accept(events[order[i]]);
    }
}
