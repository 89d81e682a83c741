package org.jevent.buffer;

import java.lang.foreign.MemorySegment;

/**
 * A reusable list of memory extents in an {@link EvBuffer} ({@code struct evbuffer_iovec}
 * arrays): filled by {@link EvBuffer#peek}, {@link EvBuffer#reserveSpace} and the I/O hooks
 * {@link EvBuffer#gatherForWrite} / {@link EvBuffer#reserveForRead}. Each extent is a base
 * segment, an offset into it and a length, so filling one allocates nothing; an I/O layer
 * turns them into {@code struct iovec}s with {@link #address} and {@link #length}.
 *
 * <p>Extents are views of the buffer's memory: valid until the buffer next changes.
 */
public final class BufferVectors {
    private final MemorySegment[] bases;
    private final long[] offsets;
    final long[] lengths;
    int count;

    /** Room for {@code capacity} extents. */
    public BufferVectors(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        bases = new MemorySegment[capacity];
        offsets = new long[capacity];
        lengths = new long[capacity];
    }

    /** How many extents it can hold. */
    public int capacity() {
        return bases.length;
    }

    /** How many extents the last fill produced. */
    public int count() {
        return count;
    }

    /** The segment holding extent {@code i}. */
    public MemorySegment base(int i) {
        return bases[check(i)];
    }

    /** Where extent {@code i} starts in {@link #base}. */
    public long offset(int i) {
        return offsets[check(i)];
    }

    /** Length of extent {@code i} in bytes. */
    public long length(int i) {
        return lengths[check(i)];
    }

    /** Native address of extent {@code i} ({@code iov_base}); buffer memory is off-heap. */
    public long address(int i) {
        return bases[check(i)].address() + offsets[i];
    }

    /** Extent {@code i} as a segment (allocates a view; use the accessors on hot paths). */
    public MemorySegment segment(int i) {
        return bases[check(i)].asSlice(offsets[i], lengths[i]);
    }

    /**
     * Sets how many bytes of reserved extent {@code i} were written, before
     * {@link EvBuffer#commitSpace}; it may only shrink ({@code iov_len} in libevent).
     */
    public void setLength(int i, long length) {
        if (length < 0 || length > lengths[check(i)]) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + lengths[i]);
        }
        lengths[i] = length;
    }

    private int check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("extent " + i + " of " + count);
        }
        return i;
    }

    void clear() {
        count = 0;
    }

    void add(MemorySegment base, long offset, long length) {
        bases[count] = base;
        offsets[count] = offset;
        lengths[count] = length;
        count++;
    }

    MemorySegment rawBase(int i) {
        return bases[i];
    }

    long rawOffset(int i) {
        return offsets[i];
    }

    long rawLength(int i) {
        return lengths[i];
    }
}
