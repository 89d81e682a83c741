package org.jevent;

import java.util.Arrays;

/**
 * The events watching one descriptor or one signal (libevent's {@code evmap_io} /
 * {@code evmap_signal} entries). Few events share a handle, so a small array beats a list.
 */
class EventGroup {
    Event[] events = new Event[2];
    int count;

    final void add(Event e) {
        if (count == events.length) events = Arrays.copyOf(events, count * 2);
        events[count++] = e;
    }

    final void remove(Event e) {
        for (int i = 0; i < count; i++) {
            if (events[i] == e) {
                // Keep order: callbacks of one descriptor run in the order events were added.
                System.arraycopy(events, i + 1, events, i, count - i - 1);
                events[--count] = null;
                return;
            }
        }
    }
}
