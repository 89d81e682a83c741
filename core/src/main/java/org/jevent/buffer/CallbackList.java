package org.jevent.buffer;

import java.util.Arrays;
import org.jevent.Event;
import org.jevent.EventBase;

/**
 * The change callbacks of one {@link EvBuffer} ({@code evbuffer_add_cb} and friends), used
 * under the buffer's lock. Entries removed while callbacks run are skipped at once and
 * compacted after the run. Suspension and deferral both sum changes into one later report:
 * on unsuspend, or when the loop runs the deferral event.
 */
final class CallbackList {
    private BufferCallbackEntry[] entries = new BufferCallbackEntry[2];
    private int count;
    private int running;
    private boolean removedWhileRunning;
    private int suspended;
    private boolean pending;
    private long pendingOrig;
    private long pendingAdded;
    private long pendingDeleted;
    /** Set by {@link EvBuffer#deferCallbacks}: changes are reported from this event's callback. */
    private Event deferral;

    BufferCallbackEntry add(BufferCallback callback) {
        BufferCallbackEntry entry = new BufferCallbackEntry(callback);
        if (count == entries.length) {
            entries = Arrays.copyOf(entries, count * 2);
        }
        entries[count++] = entry;
        return entry;
    }

    void remove(BufferCallbackEntry entry) {
        if (entry.removed) {
            return;
        }
        entry.removed = true;
        removedWhileRunning = true;
        if (running == 0) {
            compact();
        }
    }

    void suspend() {
        suspended++;
    }

    void unsuspend(EvBuffer buffer) {
        if (suspended == 0) {
            throw new IllegalStateException("callbacks are not suspended");
        }
        if (--suspended == 0 && pending) {
            if (deferral != null) {
                deferral.activate(Event.TIMEOUT);
            } else {
                flush(buffer);
            }
        }
    }

    /** Reports changes later, from the loop of {@code base} ({@code evbuffer_defer_callbacks}). */
    void defer(EventBase base, EvBuffer buffer) {
        if (deferral != null) {
            deferral.close();
        }
        deferral = base.newTimer((e, what) -> {
            buffer.lock();
            try {
                flush(buffer);
            } finally {
                buffer.unlock();
            }
        });
    }

    /** Stops the deferral event (the buffer is closing). */
    void close() {
        if (deferral != null) {
            deferral.close();
            deferral = null;
        }
    }

    private void flush(EvBuffer buffer) {
        if (suspended == 0 && pending) {
            pending = false;
            invoke(buffer, pendingOrig, pendingAdded, pendingDeleted);
        }
    }

    /** Reports a change now, or sums it while suspended or deferred. */
    void changed(EvBuffer buffer, long orig, long added, long deleted) {
        if (count == 0) {
            return;
        }
        if (suspended > 0 || deferral != null) {
            if (deferral != null && suspended == 0) {
                deferral.activate(Event.TIMEOUT);
            }
            if (!pending) {
                pending = true;
                pendingOrig = orig;
                pendingAdded = 0;
                pendingDeleted = 0;
            }
            pendingAdded += added;
            pendingDeleted += deleted;
            return;
        }
        invoke(buffer, orig, added, deleted);
    }

    private void invoke(EvBuffer buffer, long orig, long added, long deleted) {
        running++;
        try {
            for (int i = 0; i < count; i++) {
                BufferCallbackEntry e = entries[i];
                if (e.enabled && !e.removed) {
                    e.callback.changed(buffer, orig, added, deleted);
                }
            }
        } finally {
            if (--running == 0 && removedWhileRunning) {
                compact();
            }
        }
    }

    private void compact() {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (!entries[i].removed) {
                entries[kept++] = entries[i];
            }
        }
        Arrays.fill(entries, kept, count, null);
        count = kept;
        removedWhileRunning = false;
    }
}
