package org.jevent;

import java.util.Arrays;

/**
 * A 4-ary min-heap of events ordered by {@link Event#deadline}, intrusive through
 * {@link Event#heapIndex}: O(1) peek, O(log n) add, remove and reschedule, no allocation
 * beyond growing the array. Four children per node halve the depth of a binary heap and keep
 * siblings in one cache line, which is why libev uses it.
 */
final class TimerHeap {
    private Event[] heap = new Event[64];
    private int size;

    int size() {
        return size;
    }

    /** The event with the earliest deadline, or null. */
    Event peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Event e) {
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        siftUp(size++, e);
    }

    void remove(Event e) {
        int i = e.heapIndex;
        e.heapIndex = -1;
        Event last = heap[--size];
        heap[size] = null;
        if (i == size) return;
        // The moved element may belong above or below the hole.
        if (i > 0 && last.deadline < heap[(i - 1) >> 2].deadline) siftUp(i, last);
        else siftDown(i, last);
    }

    /** Restores order after {@code e.deadline} changed while in the heap. */
    void reschedule(Event e) {
        int i = e.heapIndex;
        if (i > 0 && e.deadline < heap[(i - 1) >> 2].deadline) siftUp(i, e);
        else siftDown(i, e);
    }

    /** Restores order after many deadlines changed at once (Floyd's bottom-up heapify). */
    void rebuild() {
        for (int i = (size - 2) >> 2; i >= 0; i--) siftDown(i, heap[i]);
    }

    private void siftUp(int i, Event e) {
        while (i > 0) {
            int parent = (i - 1) >> 2;
            Event p = heap[parent];
            if (e.deadline >= p.deadline) break;
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i, Event e) {
        for (;;) {
            int first = (i << 2) + 1;
            if (first >= size) break;
            int end = Math.min(first + 4, size);
            int min = first;
            long minDeadline = heap[first].deadline;
            for (int c = first + 1; c < end; c++) {
                long d = heap[c].deadline;
                if (d < minDeadline) {
                    min = c;
                    minDeadline = d;
                }
            }
            if (minDeadline >= e.deadline) break;
            Event child = heap[min];
            heap[i] = child;
            child.heapIndex = i;
            i = min;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    /** Calls {@code visitor} for each event, in heap order. */
    void forEach(java.util.function.Consumer<Event> visitor) {
        for (int i = 0; i < size; i++) visitor.accept(heap[i]);
    }
}
