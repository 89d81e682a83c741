package org.jevent;

import java.util.Arrays;

/**
 * One watched handle: its events, the interest registered with the backend, and the token
 * the backend reports it by (slot id in the low half, a generation in the high half, so a
 * readiness entry for a slot that was freed and reused within one poll batch is ignored).
 *
 * <p>The events are kept in the order they were added (callbacks of one descriptor run in
 * that order). A handle mostly has one event per direction (a bufferevent's read and write
 * events), so the first two sit in fields and only a third makes an array: an idle
 * connection costs no array.
 */
final class IoSlot {
    final int id;
    int generation;
    Pollable handle;
    /** Interest currently registered with the backend. */
    int interest;
    /** Number of events. */
    int count;
    private Event first, second;
    /** The events from the third on, or null. */
    private Event[] more;

    IoSlot(int id) {
        this.id = id;
    }

    long token() {
        return ((long) generation << 32) | id;
    }

    /** The {@code i}th event, {@code 0 <= i < count}. */
    Event event(int i) {
        return i == 0 ? first : i == 1 ? second : more[i - 2];
    }

    void add(Event e) {
        if (count >= 2) {
            if (more == null) more = new Event[2];
            else if (count - 2 == more.length) more = Arrays.copyOf(more, more.length * 2);
        }
        set(count++, e);
    }

    void remove(Event e) {
        for (int i = 0; i < count; i++) {
            if (event(i) == e) {
                for (int j = i + 1; j < count; j++) set(j - 1, event(j));
                set(--count, null);
                return;
            }
        }
    }

    private void set(int i, Event e) {
        if (i == 0) first = e;
        else if (i == 1) second = e;
        else more[i - 2] = e;
    }

    /** The union of what the events want, as backend interest bits. */
    int wantedInterest() {
        int want = 0;
        for (int i = 0; i < count; i++) want |= event(i).events & (Event.READ | Event.WRITE | Event.CLOSED | Event.ET);
        return want;
    }
}
