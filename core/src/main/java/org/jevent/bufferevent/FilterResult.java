package org.jevent.bufferevent;

/** What a {@link BufferFilter} achieved ({@code enum bufferevent_filter_result}). */
public enum FilterResult {
    /** {@code BEV_OK}: it wrote something to the destination. */
    OK,
    /** {@code BEV_NEED_MORE}: it cannot write more until more input arrives. */
    NEED_MORE,
    /** {@code BEV_ERROR}: the data is bad; the filter bufferevent reports {@link BufferEvent#ERROR}. */
    ERROR
}
