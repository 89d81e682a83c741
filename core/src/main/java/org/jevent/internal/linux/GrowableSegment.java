package org.jevent.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Native memory that is reused call after call and grows, rarely, by doubling: ready
 * arrays and pollfd sets. Each generation has its own shared arena (the memory may be
 * filled on one thread and polled on another), so growing frees the old block at once.
 */
final class GrowableSegment implements AutoCloseable {
    private Arena arena;
    private MemorySegment segment;

    GrowableSegment(long bytes) {
        arena = Arena.ofShared();
        segment = arena.allocate(bytes, Long.BYTES);
    }

    /** The current block; invalid after {@link #ensure} grew it. */
    MemorySegment segment() {
        return segment;
    }

    /** Grows to at least {@code bytes} (at least doubling), keeping the content. */
    void ensure(long bytes) {
        if (bytes <= segment.byteSize()) return;
        Arena next = Arena.ofShared();
        MemorySegment bigger = next.allocate(Math.max(bytes, 2 * segment.byteSize()), Long.BYTES);
        bigger.copyFrom(segment);
        arena.close();
        arena = next;
        segment = bigger;
    }

    /** Frees the memory; idempotent. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
