package org.jevent.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A reusable {@code struct timespec} for the nanosecond-precision waits (epoll_pwait2,
 * ppoll, pselect): libevent 2.2 uses these so a timer never fires up to a millisecond late.
 * Owned by the polling thread; its 16 bytes are GC-managed, so there is nothing to close.
 */
final class Timespec {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    // {time_t tv_sec; long tv_nsec;} on LP64
    private final MemorySegment ts = Arena.ofAuto().allocate(2 * Long.BYTES, Long.BYTES);

    /** The timeout argument for a wait of {@code nanos}: NULL (wait forever) when negative. */
    MemorySegment of(long nanos) {
        if (nanos < 0) return MemorySegment.NULL;
        ts.set(Syscall.LONG, 0, nanos / NANOS_PER_SECOND);
        ts.set(Syscall.LONG, Long.BYTES, nanos % NANOS_PER_SECOND);
        return ts;
    }
}
