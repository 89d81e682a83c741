package org.jevent;

/**
 * An intrusive FIFO of events threaded through one pair of an event's {@link Event#links}
 * (so one event can sit in several lists at once): O(1) append, remove and poll, no nodes.
 */
final class EventList {
    /** Which link pair the list uses. */
    static final int ACTIVE = 0, COMMON_TIMEOUT = 2;

    private final int next;
    private final int prev;
    private Event head;
    private Event tail;
    private int size;

    EventList(int link) {
        this.next = link;
        this.prev = link + 1;
    }

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    Event first() {
        return head;
    }

    Event last() {
        return tail;
    }

    Event next(Event e) {
        return e.links[next];
    }

    Event previous(Event e) {
        return e.links[prev];
    }

    void addLast(Event e) {
        e.links[prev] = tail;
        e.links[next] = null;
        if (tail == null) head = e;
        else tail.links[next] = e;
        tail = e;
        size++;
    }

    /** Inserts {@code e} right after {@code at}, or first when {@code at} is null. */
    void addAfter(Event at, Event e) {
        if (at == tail) {
            addLast(e);
            return;
        }
        Event after = at == null ? head : at.links[next];
        e.links[prev] = at;
        e.links[next] = after;
        after.links[prev] = e;
        if (at == null) head = e;
        else at.links[next] = e;
        size++;
    }

    void remove(Event e) {
        Event n = e.links[next], p = e.links[prev];
        if (p == null) head = n;
        else p.links[next] = n;
        if (n == null) tail = p;
        else n.links[prev] = p;
        e.links[next] = null;
        e.links[prev] = null;
        size--;
    }

    Event pollFirst() {
        Event e = head;
        if (e != null) remove(e);
        return e;
    }
}
