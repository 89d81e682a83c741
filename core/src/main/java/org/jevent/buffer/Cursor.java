package org.jevent.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A byte-at-a-time walk along a chain, for searches that may straddle chunk boundaries.
 * It sits on a non-empty chunk, or past the end ({@link #atEnd()}). Each buffer owns one,
 * used under the buffer's lock, so searching allocates nothing.
 */
final class Cursor {
    private Chunk chunk;
    private long offset;
    long position;
    /** The length of the EOL found by the buffer's last {@code findEol}. */
    int eolLength;

    /** Moves to {@code pos} counting from {@code head}; false if beyond the data. */
    boolean seek(Chunk head, long pos) {
        Chunk c = head;
        long rest = pos;
        while (c != null && rest >= c.length()) {
            rest -= c.length();
            c = c.next;
        }
        if (c == null && rest > 0) {
            return false;
        }
        chunk = c;
        offset = c == null ? 0 : c.start + rest;
        position = pos;
        return true;
    }

    boolean atEnd() {
        return chunk == null;
    }

    byte get() {
        return chunk.block.byteAt(offset);
    }

    void advance() {
        position++;
        offset++;
        skipEmpty();
    }

    /** Moves to the first {@code a} or {@code b} before {@code limit}; false if none. */
    boolean find(byte a, byte b, long limit) {
        while (chunk != null && position < limit) {
            MemorySegment memory = chunk.block.memory;
            if (memory != null) {
                long end = Math.min(chunk.end, offset + (limit - position));
                long hit = scan(memory, offset, end, a, b);
                position += (hit < 0 ? end : hit) - offset;
                offset = hit < 0 ? end : hit;
                if (hit >= 0) return true;
                skipEmpty();
                continue;
            }
            byte x = get();
            if (x == a || x == b) {
                return true;
            }
            advance();
        }
        return false;
    }

    private static final long ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;

    /**
     * Offset of the first {@code a} or {@code b} in {@code memory[from, end)}, or -1: eight
     * bytes per step with the "has a zero byte" bit trick, the search libevent leaves to memchr.
     */
    private static long scan(MemorySegment memory, long from, long end, byte a, byte b) {
        long o = from;
        long pa = (a & 0xFFL) * ONES, pb = (b & 0xFFL) * ONES;
        for (; o + 8 <= end; o += 8) {
            long word = memory.get(ValueLayout.JAVA_LONG_UNALIGNED, o);
            long xa = word ^ pa, xb = word ^ pb;
            if (((((xa - ONES) & ~xa) | ((xb - ONES) & ~xb)) & HIGHS) != 0) break; // a candidate in these 8
        }
        for (; o < end; o++) {
            byte x = memory.get(ValueLayout.JAVA_BYTE, o);
            if (x == a || x == b) return o;
        }
        return -1;
    }

    /** Steps past the end of the current chunk (and any empty ones). */
    private void skipEmpty() {
        while (chunk != null && offset >= chunk.end) {
            chunk = chunk.next;
            if (chunk != null) {
                offset = chunk.start;
            }
        }
    }

    /** Whether {@code what} starts here (the cursor does not move). */
    boolean matches(byte[] what) {
        Chunk c = chunk;
        long o = offset;
        for (byte expected : what) {
            if (c == null || c.block.byteAt(o) != expected) {
                return false;
            }
            o++;
            while (c != null && o >= c.end) {
                c = c.next;
                if (c != null) {
                    o = c.start;
                }
            }
        }
        return true;
    }
}
