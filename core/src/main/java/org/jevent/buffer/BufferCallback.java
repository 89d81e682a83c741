package org.jevent.buffer;

/**
 * Told when an {@link EvBuffer}'s length changes ({@code evbuffer_cb_func} with its
 * {@code struct evbuffer_cb_info}). Runs on the thread that changed the buffer, with the
 * buffer's lock held if locking is enabled.
 */
@FunctionalInterface
public interface BufferCallback {
    /**
     * @param buffer the buffer that changed
     * @param origSize its length before the change (before the first of several changes if
     *     callbacks were suspended)
     * @param added bytes added
     * @param deleted bytes removed
     */
    void changed(EvBuffer buffer, long origSize, long added, long deleted);
}
