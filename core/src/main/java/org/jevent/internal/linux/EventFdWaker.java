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
    private boolean closed; // guarded by this
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

    /**
     * Makes the eventfd readable unless a wake-up is already pending; any thread. The write
     * itself (at most one per loop iteration) is made under this object's monitor, which
     * {@link #close} takes too, so a late wake-up (a signal or an async send racing the base's
     * close) can never write to a closed descriptor whose number was reused.
     */
    void wakeup() {
        if (pending.get() || !pending.compareAndSet(false, true)) return;
        synchronized (this) {
            if (closed) return;
            try {
                // -1 (EAGAIN) means the counter is already non-zero: readable, which is all we want.
                LibC.write(fd, one, EIGHT_BYTES);
            } catch (ErrnoException e) {
                throw new UncheckedIOException("eventfd wake-up", e);
            }
        }
    }

    /**
     * Called by the polling thread when the eventfd was reported readable: empties the
     * counter first, then clears the flag. A wake-up racing between the two finds the flag
     * still set and skips its write, which is safe because this poll is returning anyway and
     * the caller's change, made before its wakeup(), is seen by the loop after the poll. The
     * other order would lose wake-ups: a write landing between clear and drain would be
     * drained while the flag stays set, muting every later wakeup().
     */
    void acknowledge() throws ErrnoException {
        LibC.read(fd, drained, EIGHT_BYTES);
        pending.set(false);
    }

    /** Closes the eventfd; later and racing wake-ups do nothing. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        // A flag that stays set turns every later wakeup() into a no-op.
        pending.set(true);
        LibC.closeQuietly(fd);
    }
}
