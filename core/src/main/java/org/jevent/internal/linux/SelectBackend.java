package org.jevent.internal.linux;

import static java.lang.foreign.FunctionDescriptor.of;
import static org.jevent.internal.linux.Syscall.INT;
import static org.jevent.internal.linux.Syscall.LONG;
import static org.jevent.internal.linux.Syscall.PTR;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.jevent.Event;
import org.jevent.Feature;
import org.jevent.Pollable;
import org.jevent.internal.Backend;
import org.jevent.internal.ReadyList;
import org.jevent.net.Errno;
import org.jevent.net.ErrnoException;

/**
 * The select(2) backend (libevent's {@code select.c}, libev's {@code ev_select.c}), the
 * last resort: any descriptor, but only descriptors below {@code FD_SETSIZE} (1024), O(n)
 * per wait, neither early close nor edge-triggered mode.
 *
 * <p>Master {@code fd_set} bitmaps (read, write) record the interest; each poll copies
 * them, under a short lock since {@link #update} may run meanwhile, into the working sets
 * that {@code pselect} overwrites, and scans the result only up to the highest descriptor.
 * Waits are precise to the nanosecond. The {@link EventFdWaker} sits in the read set.
 */
public final class SelectBackend implements Backend {
    static final String NAME = "select";
    /** glibc's fixed fd_set size: select cannot watch a descriptor this high. */
    public static final int FD_SETSIZE = 1024;
    private static final int FEATURES = Feature.FDS.bit;
    private static final long SET_BYTES = FD_SETSIZE / Byte.SIZE;

    // Exceptional conditions (exceptfds) mean TCP urgent data, which no Event bit stands for.
    private static final FunctionDescriptor PSELECT_ARGS = of(INT, INT, PTR, PTR, PTR, PTR, PTR);
    // The wait captures no errno (Syscall.blockingWait); the zero-timeout poll does, and never
    // blocks. A failed pselect leaves the sets as they were, so the poll can reuse them.
    private static final MethodHandle PSELECT = Syscall.blockingWait("pselect", PSELECT_ARGS);
    private static final MethodHandle PSELECT_NOW = Syscall.function("pselect", PSELECT_ARGS, true);

    private final EventFdWaker waker;
    private final Arena arena;
    private final Timespec timeout = new Timespec();

    // The registered sets, guarded by this.
    private final MemorySegment readInterest, writeInterest;
    private final int[] interests = new int[FD_SETSIZE];
    private final long[] tokens = new long[FD_SETSIZE];
    private int maxFd;

    // The polling thread's working sets and the readiness found in them.
    private final MemorySegment readSet, writeSet;
    private final long[] polledTokens = new long[FD_SETSIZE];
    private final ReadyList ready = new ReadyList();

    private boolean closed;

    /** Opens the wake-up eventfd; the four fd_sets live in native memory. */
    public SelectBackend() throws ErrnoException {
        waker = new EventFdWaker();
        int wakerFd = waker.fd();
        if (wakerFd >= FD_SETSIZE) {
            waker.close();
            throw beyondFdSetSize(wakerFd);
        }
        arena = Arena.ofShared();
        readInterest = arena.allocate(SET_BYTES, Long.BYTES);
        writeInterest = arena.allocate(SET_BYTES, Long.BYTES);
        readSet = arena.allocate(SET_BYTES, Long.BYTES);
        writeSet = arena.allocate(SET_BYTES, Long.BYTES);
        // Registered like any descriptor, so maxFd never drops below it.
        interests[wakerFd] = Event.READ;
        setBit(readInterest, wakerFd, true);
        maxFd = wakerFd;
        try {
            pselectNow(0);
        } catch (ErrnoException e) {
            close();
            throw e;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int features() {
        return FEATURES;
    }

    /** {@inheritDoc} CLOSED interest is accepted and never reported: a peer close shows as READ. */
    @Override
    public void update(Pollable handle, long token, int oldInterest, int newInterest) throws IOException {
        int fd = FdBackends.fdOf(handle, NAME);
        if (fd >= FD_SETSIZE) throw beyondFdSetSize(fd);
        if ((newInterest & Event.ET) != 0) {
            throw new UnsupportedOperationException("select backend has no edge-triggered mode (Event.ET): use epoll");
        }
        synchronized (this) {
            interests[fd] = newInterest;
            tokens[fd] = token;
            setBit(readInterest, fd, (newInterest & Event.READ) != 0);
            setBit(writeInterest, fd, (newInterest & Event.WRITE) != 0);
            if (newInterest != 0) {
                maxFd = Math.max(maxFd, fd);
            } else {
                while (interests[maxFd] == 0) maxFd--;
            }
        }
    }

    @Override
    public int poll(long timeoutNanos) throws IOException {
        int nfds;
        synchronized (this) {
            nfds = maxFd + 1;
            long bytes = words(nfds) * Long.BYTES;
            MemorySegment.copy(readInterest, 0, readSet, 0, bytes);
            MemorySegment.copy(writeInterest, 0, writeSet, 0, bytes);
            System.arraycopy(tokens, 0, polledTokens, 0, nfds);
        }
        ready.clear();
        if (pselect(nfds, timeoutNanos) == 0) return 0;
        for (int word = 0, words = words(nfds); word < words; word++) {
            long readable = readSet.getAtIndex(LONG, word);
            long writable = writeSet.getAtIndex(LONG, word);
            for (long bits = readable | writable; bits != 0; bits &= bits - 1) {
                long lowest = bits & -bits;
                int fd = word * Long.SIZE + Long.numberOfTrailingZeros(lowest);
                if (fd == waker.fd()) {
                    waker.acknowledge();
                    continue;
                }
                ready.add(polledTokens[fd], ((readable & lowest) != 0 ? Event.READ : 0) | ((writable & lowest) != 0 ? Event.WRITE : 0));
            }
        }
        return ready.size();
    }

    /** The number of bits set, 0 when interrupted by a signal. */
    private int pselect(int nfds, long timeoutNanos) throws ErrnoException {
        int hits;
        try {
            hits = (int) PSELECT.invokeExact(nfds, readSet, writeSet, MemorySegment.NULL,
                    timeout.of(timeoutNanos), MemorySegment.NULL);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return hits >= 0 ? hits : pselectNow(nfds);
    }

    /**
     * The poll without waiting, which captures errno: made when a wait failed with an errno it
     * did not capture (its readiness stands in for an interrupted wait's; a second EINTR is 0),
     * and once, of no descriptor, when the backend opens, so its method handle is linked
     * before the steady state (see {@link EpollBackend}).
     */
    private int pselectNow(int nfds) throws ErrnoException {
        MemorySegment st = Syscall.state();
        int hits;
        try {
            hits = (int) PSELECT_NOW.invokeExact(st, nfds, readSet, writeSet, MemorySegment.NULL,
                    timeout.of(0), MemorySegment.NULL);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (hits >= 0) return hits;
        if (Syscall.errno(st) == Errno.EINTR) return 0;
        throw Syscall.error("pselect", st);
    }

    @Override
    public long readyToken(int i) {
        return ready.token(i);
    }

    @Override
    public int readyEvents(int i) {
        return ready.events(i);
    }

    @Override
    public void wakeup() {
        waker.wakeup();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        waker.close();
        arena.close();
    }

    /** fd_set is an array of longs, bit {@code fd % 64} of word {@code fd / 64}. */
    private static void setBit(MemorySegment set, int fd, boolean on) {
        int word = fd >>> 6;
        long bit = 1L << fd;
        long bits = set.getAtIndex(LONG, word);
        set.setAtIndex(LONG, word, on ? bits | bit : bits & ~bit);
    }

    private static int words(int nfds) {
        return (nfds + Long.SIZE - 1) / Long.SIZE;
    }

    private static IllegalArgumentException beyondFdSetSize(int fd) {
        return new IllegalArgumentException(
                "select backend cannot watch fd " + fd + ": FD_SETSIZE is " + FD_SETSIZE + "; use epoll or poll");
    }
}
