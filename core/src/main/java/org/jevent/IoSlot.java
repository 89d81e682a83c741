package org.jevent;

/**
 * One watched handle: its events, the interest registered with the backend, and the token
 * the backend reports it by (slot id in the low half, a generation in the high half, so a
 * readiness entry for a slot that was freed and reused within one poll batch is ignored).
 */
final class IoSlot extends EventGroup {
    final int id;
    int generation;
    Pollable handle;
    /** Interest currently registered with the backend. */
    int interest;

    IoSlot(int id) {
        this.id = id;
    }

    long token() {
        return ((long) generation << 32) | id;
    }

    /** The union of what the events want, as backend interest bits. */
    int wantedInterest() {
        int want = 0;
        for (int i = 0; i < count; i++) want |= events[i].events & (Event.READ | Event.WRITE | Event.CLOSED | Event.ET);
        return want;
    }
}
