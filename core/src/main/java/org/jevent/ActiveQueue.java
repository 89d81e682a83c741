package org.jevent;

import java.util.function.Consumer;

/**
 * The FIFO of active events of one priority level (libev's {@code pendings} array): a ring of
 * references, O(1) append, poll and removal from anywhere. A removed event leaves a hole
 * (null) that polling skips and growing squeezes out; the event remembers its index in
 * {@link Event#activeIndex}.
 *
 * <p>An array rather than links through the events: appending writes one reference into
 * consecutive elements (the garbage collector's card-marking barrier then finds its card
 * already marked) instead of two into scattered events, and polling reads ahead in an array
 * instead of following a pointer chain from one cold event to the next.
 */
final class ActiveQueue {
    private Event[] ring = new Event[16];
    /** Index of the oldest element and one past the newest, both within {@code ring}; equal when empty. */
    private int head, tail;
    /** Events in the ring, not counting holes. */
    private int count;

    boolean isEmpty() {
        return count == 0;
    }

    void addLast(Event e) {
        int next = (tail + 1) & (ring.length - 1);
        if (next == head) {
            if (count < ring.length / 2) squeeze();
            else grow();
            next = (tail + 1) & (ring.length - 1);
        }
        ring[tail] = e;
        e.activeIndex = tail;
        tail = next;
        count++;
    }

    /** Takes {@code e}, which must be in this queue, out of it. */
    void remove(Event e) {
        ring[e.activeIndex] = null;
        e.activeIndex = -1;
        count--;
    }

    /** The oldest event, taken out of the queue; null when empty. */
    Event pollFirst() {
        while (count > 0) {
            Event e = ring[head];
            ring[head] = null;
            head = (head + 1) & (ring.length - 1);
            if (e != null) {
                e.activeIndex = -1;
                count--;
                return e;
            }
        }
        head = tail; // only holes were left
        return null;
    }

    /** Calls {@code visitor} for each event, oldest first. */
    void forEach(Consumer<Event> visitor) {
        for (int i = head; i != tail; i = (i + 1) & (ring.length - 1)) {
            if (ring[i] != null) visitor.accept(ring[i]);
        }
    }

    /** Doubles the ring (it is full), moving the events to its start in order, without the holes. */
    private void grow() {
        Event[] bigger = new Event[ring.length * 2];
        int n = 0;
        for (int i = head, end = tail; ; i = (i + 1) & (ring.length - 1)) {
            Event e = ring[i];
            if (e != null) {
                bigger[n] = e;
                e.activeIndex = n++;
            }
            if (i == end) break;
        }
        ring = bigger;
        head = 0;
        tail = n;
    }

    /**
     * Closes the holes in place (the ring is full, mostly of holes: events activated and
     * cancelled while the loop did not run), so holes never grow the ring nor allocate.
     */
    private void squeeze() {
        int mask = ring.length - 1, to = head;
        for (int i = head; i != tail; i = (i + 1) & mask) {
            Event e = ring[i];
            if (e == null) continue;
            if (i != to) {
                ring[to] = e;
                ring[i] = null;
                e.activeIndex = to;
            }
            to = (to + 1) & mask;
        }
        tail = to;
    }
}
