package org.jevent.internal.linux;

import static java.lang.foreign.FunctionDescriptor.of;
import static org.jevent.internal.linux.Syscall.INT;
import static org.jevent.internal.linux.Syscall.LONG;
import static org.jevent.internal.linux.Syscall.PTR;
import static org.jevent.internal.linux.Syscall.SHORT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import org.jevent.Event;
import org.jevent.Feature;
import org.jevent.Pollable;
import org.jevent.internal.Backend;
import org.jevent.internal.ReadyList;
import org.jevent.net.Errno;
import org.jevent.net.ErrnoException;

/**
 * The poll(2) backend (libevent's {@code poll.c}, libev's {@code ev_poll.c}): watches any
 * descriptor (pipes, ttys, files), costs O(n) per wait, has early close through POLLRDHUP
 * and no edge-triggered mode.
 *
 * <p>The registered set is a native {@code struct pollfd} array with a slot index per
 * descriptor; removal moves the last slot into the hole. Because {@link #update} may run
 * while the loop thread waits, each poll copies the set under a short lock and waits on the
 * copy (as libevent does with threads enabled): changes made during a wait count from the
 * next one, which the core triggers with {@link #wakeup}. Waits use {@code ppoll} and are
 * precise to the nanosecond. Slot 0 holds the {@link EventFdWaker}.
 */
public final class PollBackend implements Backend {
    static final String NAME = "poll";
    private static final int FEATURES = Feature.FDS.bit | Feature.EARLY_CLOSE.bit;

    private static final short POLLIN = 0x001, POLLOUT = 0x004, POLLERR = 0x008, POLLHUP = 0x010,
            POLLNVAL = 0x020, POLLRDHUP = 0x2000;
    // struct pollfd {int fd; short events; short revents;}
    private static final long POLLFD_SIZE = 8, EVENTS_OFFSET = 4, REVENTS_OFFSET = 6;
    private static final int INITIAL_SLOTS = 64;

    private static final FunctionDescriptor PPOLL_ARGS = of(INT, PTR, LONG, PTR, PTR);
    // The wait captures no errno (Syscall.blockingWait); the zero-timeout poll does, and never blocks.
    private static final MethodHandle PPOLL = Syscall.blockingWait("ppoll", PPOLL_ARGS);
    private static final MethodHandle PPOLL_NOW = Syscall.function("ppoll", PPOLL_ARGS, true);

    private final EventFdWaker waker;
    private final Timespec timeout = new Timespec();

    // The registered set, guarded by this.
    private final GrowableSegment registered = new GrowableSegment(INITIAL_SLOTS * POLLFD_SIZE);
    private long[] tokens = new long[INITIAL_SLOTS];
    private int[] slotPlusOneByFd = new int[INITIAL_SLOTS]; // 0: not registered
    private int count;

    // The polling thread's copy of the set and the readiness found in it.
    private final GrowableSegment polled = new GrowableSegment(INITIAL_SLOTS * POLLFD_SIZE);
    private long[] polledTokens = new long[INITIAL_SLOTS];
    private final ReadyList ready = new ReadyList();

    private boolean closed;

    /** Opens the wake-up eventfd; the pollfd array lives in native memory. */
    public PollBackend() throws ErrnoException {
        try {
            waker = new EventFdWaker();
        } catch (ErrnoException e) {
            registered.close();
            polled.close();
            throw e;
        }
        addSlot(waker.fd());
        registered.segment().set(SHORT, EVENTS_OFFSET, POLLIN);
        try {
            ppollNow(0);
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

    @Override
    public void update(Pollable handle, long token, int oldInterest, int newInterest) throws IOException {
        int fd = FdBackends.fdOf(handle, NAME);
        if ((newInterest & Event.ET) != 0) {
            throw new UnsupportedOperationException("poll backend has no edge-triggered mode (Event.ET): use epoll");
        }
        synchronized (this) {
            int slot = fd < slotPlusOneByFd.length ? slotPlusOneByFd[fd] - 1 : -1;
            if (newInterest == 0) {
                if (slot >= 0) removeSlot(slot, fd);
                return;
            }
            if (slot < 0) slot = addSlot(fd);
            registered.segment().set(SHORT, slot * POLLFD_SIZE + EVENTS_OFFSET, pollEvents(newInterest));
            tokens[slot] = token;
        }
    }

    private int addSlot(int fd) {
        int slot = count++;
        registered.ensure(count * POLLFD_SIZE);
        if (slot == tokens.length) tokens = Arrays.copyOf(tokens, 2 * slot);
        if (fd >= slotPlusOneByFd.length) {
            slotPlusOneByFd = Arrays.copyOf(slotPlusOneByFd, Math.max(fd + 1, 2 * slotPlusOneByFd.length));
        }
        registered.segment().set(INT, slot * POLLFD_SIZE, fd);
        slotPlusOneByFd[fd] = slot + 1;
        return slot;
    }

    /** O(1): the last slot moves into the hole. */
    private void removeSlot(int slot, int fd) {
        int last = --count;
        slotPlusOneByFd[fd] = 0;
        if (slot == last) return;
        MemorySegment set = registered.segment();
        MemorySegment.copy(set, last * POLLFD_SIZE, set, slot * POLLFD_SIZE, POLLFD_SIZE);
        tokens[slot] = tokens[last];
        slotPlusOneByFd[set.get(INT, slot * POLLFD_SIZE)] = slot + 1;
    }

    @Override
    public int poll(long timeoutNanos) throws IOException {
        int n;
        synchronized (this) {
            n = count;
            polled.ensure(n * POLLFD_SIZE);
            MemorySegment.copy(registered.segment(), 0, polled.segment(), 0, n * POLLFD_SIZE);
            if (polledTokens.length < n) {
                polledTokens = new long[tokens.length];
            }
            System.arraycopy(tokens, 0, polledTokens, 0, n);
        }
        int hits = ppoll(n, timeoutNanos);
        MemorySegment set = polled.segment();
        ready.clear();
        for (int slot = 0; hits > 0 && slot < n; slot++) {
            int revents = set.get(SHORT, slot * POLLFD_SIZE + REVENTS_OFFSET);
            if (revents == 0) continue;
            hits--;
            if (slot == 0) {
                waker.acknowledge();
                continue;
            }
            ready.add(polledTokens[slot], readiness(revents));
        }
        return ready.size();
    }

    /** The number of slots with readiness, 0 when interrupted by a signal. */
    private int ppoll(int n, long timeoutNanos) throws ErrnoException {
        int hits;
        try {
            hits = (int) PPOLL.invokeExact(polled.segment(), (long) n, timeout.of(timeoutNanos), MemorySegment.NULL);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return hits >= 0 ? hits : ppollNow(n);
    }

    /**
     * The poll without waiting, which captures errno: made when a wait failed with an errno it
     * did not capture (its readiness stands in for an interrupted wait's; a second EINTR is 0),
     * and once, of no descriptor, when the backend opens, so its method handle is linked
     * before the steady state (see {@link EpollBackend}).
     */
    private int ppollNow(int n) throws ErrnoException {
        MemorySegment st = Syscall.state();
        int hits;
        try {
            hits = (int) PPOLL_NOW.invokeExact(st, polled.segment(), (long) n, timeout.of(0), MemorySegment.NULL);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (hits >= 0) return hits;
        if (Syscall.errno(st) == Errno.EINTR) return 0;
        throw Syscall.error("ppoll", st);
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
        registered.close();
        polled.close();
    }

    private static short pollEvents(int interest) {
        int events = 0;
        if ((interest & Event.READ) != 0) events |= POLLIN;
        if ((interest & Event.WRITE) != 0) events |= POLLOUT;
        if ((interest & Event.CLOSED) != 0) events |= POLLRDHUP;
        return (short) events;
    }

    private static int readiness(int revents) {
        int ready = 0;
        if ((revents & POLLIN) != 0) ready |= Event.READ;
        if ((revents & POLLOUT) != 0) ready |= Event.WRITE;
        if ((revents & POLLRDHUP) != 0) ready |= Event.READ | Event.CLOSED;
        if ((revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) ready |= Event.READ | Event.WRITE;
        if ((revents & POLLHUP) != 0) ready |= Event.CLOSED;
        return ready;
    }
}
