package org.jevent.bufferevent;

import org.jevent.buffer.EvBuffer;

/**
 * Transforms data between a {@link FilterBufferEvent} and the bufferevent under it
 * ({@code bufferevent_filter_cb}): takes bytes from the front of {@code src} and adds the
 * result to {@code dst}. Called on the loop thread, repeatedly while it returns
 * {@link FilterResult#OK}, {@code src} is not empty and there is room.
 */
@FunctionalInterface
public interface BufferFilter {
    /**
     * @param limit the most {@code dst} should grow by (from its high watermark), or -1 for
     *     no limit; a filter may exceed it a little, it only bounds memory
     * @param mode {@link FlushMode#NORMAL} in ordinary operation; {@link FlushMode#FLUSH} or
     *     {@link FlushMode#FINISHED} when the user flushes: write out anything held back
     */
    FilterResult filter(EvBuffer src, EvBuffer dst, long limit, FlushMode mode);
}
