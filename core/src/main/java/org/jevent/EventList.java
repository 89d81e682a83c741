package org.jevent;

/**
 * An intrusive doubly linked list of events threaded through their common-timeout links
 * ({@link EventExtras#timeoutNext}, {@link EventExtras#timeoutPrev}; every event put in one
 * has its extras already): O(1) append, insertion after a known event, removal and poll, no
 * nodes. A {@link CommonTimeout} keeps its queue in one.
 */
final class EventList {
    private Event head;
    private Event tail;
    private int size;

    private static Event nextOf(Event e) {
        return e.extras.timeoutNext;
    }

    private static Event prevOf(Event e) {
        return e.extras.timeoutPrev;
    }

    private static void setNext(Event e, Event n) {
        e.extras.timeoutNext = n;
    }

    private static void setPrev(Event e, Event p) {
        e.extras.timeoutPrev = p;
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
        return nextOf(e);
    }

    Event previous(Event e) {
        return prevOf(e);
    }

    void addLast(Event e) {
        setPrev(e, tail);
        setNext(e, null);
        if (tail == null) head = e;
        else setNext(tail, e);
        tail = e;
        size++;
    }

    /** Inserts {@code e} right after {@code at}, or first when {@code at} is null. */
    void addAfter(Event at, Event e) {
        if (at == tail) {
            addLast(e);
            return;
        }
        Event after = at == null ? head : nextOf(at);
        setPrev(e, at);
        setNext(e, after);
        setPrev(after, e);
        if (at == null) head = e;
        else setNext(at, e);
        size++;
    }

    void remove(Event e) {
        Event n = nextOf(e), p = prevOf(e);
        if (p == null) head = n;
        else setNext(p, n);
        if (n == null) tail = p;
        else setPrev(n, p);
        setNext(e, null);
        setPrev(e, null);
        size--;
    }

    Event pollFirst() {
        Event e = head;
        if (e != null) remove(e);
        return e;
    }
}
