package org.jevent.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies between a segment and a byte[] or another segment without wrapping the array
 * (so adding or removing a byte[] allocates nothing).
 */
final class Bytes {
    private Bytes() {}

    /** {@code dst} is a byte[] or a MemorySegment. */
    static void copy(MemorySegment src, long srcOffset, Object dst, long dstOffset, long n) {
        if (dst instanceof byte[] array) {
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, srcOffset, array, (int) dstOffset, (int) n);
        } else {
            MemorySegment.copy(src, srcOffset, (MemorySegment) dst, dstOffset, n);
        }
    }

    /** {@code src} is a byte[] or a MemorySegment. */
    static void copy(Object src, long srcOffset, MemorySegment dst, long dstOffset, long n) {
        if (src instanceof byte[] array) {
            MemorySegment.copy(array, (int) srcOffset, dst, ValueLayout.JAVA_BYTE, dstOffset, (int) n);
        } else {
            MemorySegment.copy((MemorySegment) src, srcOffset, dst, dstOffset, n);
        }
    }
}
