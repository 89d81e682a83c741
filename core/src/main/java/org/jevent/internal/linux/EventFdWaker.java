package org.jevent.internal.linux;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jevent.net.ErrnoException;

/**
 * The wake-up channel of the descriptor backends: an eventfd the backend watches for
 * reading, written by {@link #wakeup} from any thread (libevent's {@code th_notify_fd},
 * libev's {@code ev_async} pipe, mio's {@code Waker}).
 *
 * <p>A pending flag coalesces wake-ups: only the first {@link #wakeup} after the loop
 * {@linkplain #acknowledge acknowledged} the last one pays for a write syscall.
 */
final class EventFdWaker implements AutoCloseable {
    private static final long EIGHT_BYTES = Long.BYTES;

    private final int fd;
    private final AtomicBoolean pending = new AtomicBoolean();
    private boolean closed;
    // GC-managed memory: a late wakeup() racing close() can never touch freed memory.
    private final MemorySegment one = Arena.ofAuto().allocate(Syscall.LONG);
    private final MemorySegment drained = Arena.ofAuto().allocate(Syscall.LONG);

    EventFdWaker() throws ErrnoException {
        fd = LibC.eventfd();
        one.set(Syscall.LONG, 0, 1L);
    }

    /** The descriptor to watch for reading. */
    int fd() {
        return fd;
    }

    /** Makes the eventfd readable unless a wake-up is already pending; any thread. */
    void wakeup() {
        if (pending.get() || !pending.compareAndSet(false, true)) return;
        try {
            // -1 (EAGAIN) means the counter is already non-zero: readable, which is all we want.
            LibC.write(fd, one, EIGHT_BYTES);
        } catch (ErrnoException e) {
            throw new UncheckedIOException("eventfd wake-up", e);
        }
    }

    /**
     * Called by the polling thread when the eventfd was reported readable: empties the
     * counter, then clears the flag. A wake-up racing with this either finds the flag still
     * set and skips its write (harmless: the loop is awake and looks at the state after
     * this), or writes again and wakes the next poll. The other order would lose wake-ups
     * for good: a write made between clearing and reading is consumed, yet leaves the flag
     * set, so every later wake-up skips its write.
     */
    void acknowledge() throws ErrnoException {
        LibC.read(fd, drained, EIGHT_BYTES);
        pending.set(false);
    }

    /**
     * Closes the eventfd; later wake-ups do nothing. Idempotent. Like {@code event_base_free},
     * it must not race with a {@code wakeup} already under way on another thread.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // A flag that stays set turns every later wakeup() into a no-op.
        pending.set(true);
        LibC.closeQuietly(fd);
    }
}
