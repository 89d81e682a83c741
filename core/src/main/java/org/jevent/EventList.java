package org.jevent;

/**
 * An intrusive FIFO of events threaded through one pair of an event's link fields (the
 * active pair or the common-timeout pair, so one event can sit in both kinds of list at
 * once): O(1) append, remove and poll, no nodes.
 */
final class EventList {
    /** Which link pair the list uses. */
    static final int ACTIVE = 0, COMMON_TIMEOUT = 2;

    private final boolean activeLinks;
    private Event head;
    private Event tail;
    private int size;

    EventList(int link) {
        this.activeLinks = link == ACTIVE;
    }

    private Event nextOf(Event e) {
        return activeLinks ? e.activeNext : e.timeoutNext;
    }

    private Event prevOf(Event e) {
        return activeLinks ? e.activePrev : e.timeoutPrev;
    }

    private void setNext(Event e, Event n) {
        if (activeLinks) e.activeNext = n;
        else e.timeoutNext = n;
    }

    private void setPrev(Event e, Event p) {
        if (activeLinks) e.activePrev = p;
        else e.timeoutPrev = p;
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
