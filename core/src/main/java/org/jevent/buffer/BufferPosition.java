package org.jevent.buffer;

/**
 * A position in an {@link EvBuffer} ({@code struct evbuffer_ptr}): an offset from the
 * front, or -1 for "not found". Set it with {@link EvBuffer#ptrSet}; like libevent's, a
 * position is only meaningful until the buffer is next changed. Mutable so that a search
 * loop can reuse one instance instead of allocating per step.
 */
public final class BufferPosition {
    /** How {@link EvBuffer#ptrSet} moves a position ({@code enum evbuffer_ptr_how}). */
    public enum How {
        /** {@code EVBUFFER_PTR_SET}: to an absolute offset. */
        SET,
        /** {@code EVBUFFER_PTR_ADD}: forward by an offset. */
        ADD
    }

    long position;

    /** A position at the front of a buffer. */
    public BufferPosition() {}

    /** The offset from the front of the buffer, or -1 if a search or move failed. */
    public long position() {
        return position;
    }

    @Override
    public String toString() {
        return "BufferPosition[" + position + "]";
    }
}
