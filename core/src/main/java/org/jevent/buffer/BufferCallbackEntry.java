package org.jevent.buffer;

/**
 * A registered {@link BufferCallback} ({@code struct evbuffer_cb_entry}), returned by
 * {@link EvBuffer#addCallback}. Enabled when added.
 */
public final class BufferCallbackEntry {
    final BufferCallback callback;
    boolean enabled = true;
    boolean removed;

    BufferCallbackEntry(BufferCallback callback) {
        this.callback = callback;
    }

    /** Whether the callback runs on changes ({@code EVBUFFER_CB_ENABLED} flag). */
    public boolean isEnabled() {
        return enabled;
    }

    /** True once {@link EvBuffer#removeCallback} has removed it. */
    public boolean isRemoved() {
        return removed;
    }
}
