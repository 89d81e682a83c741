package org.jevent.buffer;

/**
 * A byte-at-a-time walk along a chain, for searches that may straddle chunk boundaries.
 * It sits on a non-empty chunk, or past the end ({@link #atEnd()}). Each buffer owns one,
 * used under the buffer's lock, so searching allocates nothing.
 */
final class Cursor {
    private Chunk chunk;
    private long offset;
    long position;

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
        while (chunk != null && offset >= chunk.end) {
            chunk = chunk.next;
            if (chunk != null) {
                offset = chunk.start;
            }
        }
    }

    /** Moves to the first {@code a} or {@code b} before {@code limit}; false if none. */
    boolean find(byte a, byte b, long limit) {
        while (chunk != null && position < limit) {
            byte x = get();
            if (x == a || x == b) {
                return true;
            }
            advance();
        }
        return false;
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
