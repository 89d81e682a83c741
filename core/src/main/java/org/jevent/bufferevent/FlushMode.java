package org.jevent.bufferevent;

/** How hard {@link BufferEvent#flush} pushes data ({@code enum bufferevent_flush_mode}). */
public enum FlushMode {
    /** {@code BEV_NORMAL}: process what is buffered as usual. */
    NORMAL,
    /** {@code BEV_FLUSH}: push out everything buffered, even what a filter would hold back. */
    FLUSH,
    /** {@code BEV_FINISHED}: as FLUSH, then tell the other side that no more data follows. */
    FINISHED
}
