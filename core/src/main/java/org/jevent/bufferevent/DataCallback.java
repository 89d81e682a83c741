package org.jevent.bufferevent;

/**
 * A read or write callback of a {@link BufferEvent} ({@code bufferevent_data_cb}): data
 * arrived in the input (at or above the read low watermark), or the output drained to the
 * write low watermark. Runs on the loop thread.
 */
@FunctionalInterface
public interface DataCallback {
    void onData(BufferEvent bev);
}
