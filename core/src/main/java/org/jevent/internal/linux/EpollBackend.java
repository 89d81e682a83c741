package org.jevent.internal.linux;

import static java.lang.foreign.FunctionDescriptor.of;
import static org.jevent.internal.linux.Syscall.INT;
import static org.jevent.internal.linux.Syscall.PTR;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.jevent.Event;
import org.jevent.Feature;
import org.jevent.Pollable;
import org.jevent.internal.Backend;
import org.jevent.net.Errno;
import org.jevent.net.ErrnoException;

/**
 * The epoll(7) backend (libevent's {@code epoll.c}, libev's {@code ev_epoll.c}): O(1)
 * registration, edge-triggered mode and early close through EPOLLRDHUP.
 *
 * <ul>
 *   <li>Waits with {@code epoll_pwait2} (nanosecond timeout, Linux 5.11, glibc 2.35) when
 *       both libc and kernel have it, otherwise with {@code epoll_wait} and the timeout
 *       rounded up to whole milliseconds, so a wait never ends early.</li>
 *   <li>The ready array starts at 64 entries and doubles (up to 4096) after a poll that
 *       filled it, as libevent does.</li>
 *   <li>Descriptors epoll refuses with EPERM (regular files, /dev/null) are reported ready
 *       at every poll instead, as libev does; see {@link AlwaysReadyFds}.</li>
 *   <li>{@link #wakeup} goes through an {@link EventFdWaker} registered under the token -1,
 *       which the core never uses and which is never reported.</li>
 * </ul>
 */
public final class EpollBackend implements Backend {
    static final String NAME = "epoll";
    private static final int FEATURES = Feature.EDGE_TRIGGERED.bit | Feature.O1.bit | Feature.EARLY_CLOSE.bit;

    private static final int EPOLL_CLOEXEC = LibC.O_CLOEXEC;
    private static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    private static final int EPOLLIN = 0x001, EPOLLOUT = 0x004, EPOLLERR = 0x008, EPOLLHUP = 0x010,
            EPOLLRDHUP = 0x2000, EPOLLET = 1 << 31;

    // struct epoll_event {uint32_t events; uint64_t data;} is packed on x86-64 (12 bytes)
    // and naturally aligned everywhere else (16 bytes).
    private static final boolean PACKED = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> true;
        default -> false;
    };
    private static final long EVENT_SIZE = PACKED ? 12 : 16;
    private static final long DATA_OFFSET = PACKED ? 4 : 8;
    private static final ValueLayout.OfLong DATA = ValueLayout.JAVA_LONG_UNALIGNED;

    private static final int INITIAL_READY = 64, MAX_READY = 4096;
    private static final long WAKER_TOKEN = -1L; // reserved: the core never hands it out

    private static final MethodHandle EPOLL_CREATE1 = Syscall.function("epoll_create1", of(INT, INT), true);
    private static final MethodHandle EPOLL_CTL = Syscall.function("epoll_ctl", of(INT, INT, INT, INT, PTR), true);
    private static final FunctionDescriptor WAIT = of(INT, INT, PTR, INT, INT);
    private static final FunctionDescriptor PWAIT2 = of(INT, INT, PTR, INT, PTR, PTR);
    // The waits capture no errno (Syscall.blockingWait); the zero-timeout polls do, and never block.
    private static final MethodHandle EPOLL_WAIT = Syscall.blockingWait("epoll_wait", WAIT);
    private static final MethodHandle EPOLL_PWAIT2 = Syscall.findBlockingWait("epoll_pwait2", PWAIT2).orElse(null);
    private static final MethodHandle EPOLL_POLL = Syscall.function("epoll_wait", WAIT, true);
    private static final MethodHandle EPOLL_PWAIT2_POLL = Syscall.find("epoll_pwait2", PWAIT2, true).orElse(null);

    private final int epfd;
    private final EventFdWaker waker;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ctlEvent = arena.allocate(EVENT_SIZE, Long.BYTES); // used under the core's lock
    private final Timespec timeout = new Timespec();
    private final GrowableSegment ready = new GrowableSegment(INITIAL_READY * EVENT_SIZE);
    private final AlwaysReadyFds alwaysReady = new AlwaysReadyFds();
    private final boolean pwait2;

    // Owned by the polling thread.
    private int capacity = INITIAL_READY;
    private boolean filled; // the last poll filled the ready array: grow before the next
    private int kernelReady; // ready entries from the kernel; the always-ready ones follow

    private boolean closed;

    /** Opens an epoll instance and its wake-up eventfd. */
    public EpollBackend() throws ErrnoException {
        this(true);
    }

    /**
     * {@code tryPwait2 == false} takes the path of kernels before 5.11 (millisecond
     * epoll_wait) even where epoll_pwait2 works, so tests can cover it.
     */
    EpollBackend(boolean tryPwait2) throws ErrnoException {
        int ep;
        try {
            ep = createEpoll();
        } catch (ErrnoException e) {
            freeMemory();
            throw e;
        }
        epfd = ep;
        EventFdWaker w;
        try {
            w = new EventFdWaker();
        } catch (ErrnoException e) {
            LibC.closeQuietly(epfd);
            freeMemory();
            throw e;
        }
        waker = w;
        boolean nanosecondWait;
        try {
            int err = ctl(EPOLL_CTL_ADD, waker.fd(), EPOLLIN, WAKER_TOKEN);
            if (err != 0) throw new ErrnoException("epoll_ctl", err);
            nanosecondWait = tryPwait2 && kernelHasPwait2();
            pollNow();
        } catch (ErrnoException e) {
            close();
            throw e;
        }
        pwait2 = nanosecondWait;
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
    public int pollableFd() {
        return epfd;
    }

    @Override
    public void update(Pollable handle, long token, int oldInterest, int newInterest) throws IOException {
        int fd = FdBackends.fdOf(handle, NAME);
        if (newInterest == 0) {
            remove(fd);
            return;
        }
        if (alwaysReady.contains(fd)) {
            alwaysReady.put(fd, token, newInterest);
            return;
        }
        int events = epollEvents(newInterest);
        int op = oldInterest == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        int err = ctl(op, fd, events, token);
        // The kernel's set and the core's can disagree: closing a descriptor drops it from the
        // set (so MOD of a reused number fails with ENOENT), and a registration the core
        // dropped survives while a dup of the descriptor is open (so ADD fails with EEXIST).
        if (err == Errno.ENOENT && op == EPOLL_CTL_MOD) {
            err = ctl(EPOLL_CTL_ADD, fd, events, token);
        } else if (err == Errno.EEXIST && op == EPOLL_CTL_ADD) {
            err = ctl(EPOLL_CTL_MOD, fd, events, token);
        }
        if (err == Errno.EPERM) {
            alwaysReady.put(fd, token, newInterest); // a file that cannot block
        } else if (err != 0) {
            throw new ErrnoException("epoll_ctl", err);
        }
    }

    private void remove(int fd) throws ErrnoException {
        if (alwaysReady.remove(fd)) return;
        int err = ctl(EPOLL_CTL_DEL, fd, 0, 0);
        // A descriptor closed before its event was deleted has left the set already
        // (EBADF, or ENOENT once its number was reused): nothing is left to delete.
        if (err != 0 && err != Errno.ENOENT && err != Errno.EBADF) throw new ErrnoException("epoll_ctl", err);
    }

    @Override
    public int poll(long timeoutNanos) throws IOException {
        if (filled) {
            capacity = Math.min(2 * capacity, MAX_READY);
            ready.ensure(capacity * EVENT_SIZE);
        }
        int n = await(alwaysReady.isEmpty() ? timeoutNanos : 0);
        filled = n == capacity && capacity < MAX_READY;
        kernelReady = withoutWaker(n);
        return alwaysReady.isEmpty() ? kernelReady : kernelReady + alwaysReady.snapshot();
    }

    /** epoll_pwait2 or epoll_wait: the number of entries, 0 when interrupted by a signal. */
    private int await(long timeoutNanos) throws ErrnoException {
        MemorySegment events = ready.segment();
        int n;
        try {
            n = pwait2
                    ? (int) EPOLL_PWAIT2.invokeExact(epfd, events, capacity, timeout.of(timeoutNanos), MemorySegment.NULL)
                    : (int) EPOLL_WAIT.invokeExact(epfd, events, capacity, millisRoundedUp(timeoutNanos));
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return n >= 0 ? n : pollNow();
    }

    /**
     * The poll without waiting, which captures errno: made when a wait failed with an errno it
     * did not capture (its entries stand in for an interrupted wait's; a second EINTR is 0),
     * and once when the backend opens. Signals interrupt waits in steady state (JFR's samplers
     * send them), and the first call of a handle makes its method-handle classes (~130 KB).
     */
    private int pollNow() throws ErrnoException {
        MemorySegment st = Syscall.state();
        int n;
        try {
            n = (int) EPOLL_POLL.invokeExact(st, epfd, ready.segment(), capacity, 0);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (n >= 0) return n;
        if (Syscall.errno(st) == Errno.EINTR) return 0;
        throw Syscall.error("epoll_wait", st);
    }

    /** Acknowledges the waker's entry, if any, and fills its place with the last entry. */
    private int withoutWaker(int n) throws ErrnoException {
        MemorySegment events = ready.segment();
        for (int i = 0; i < n; i++) {
            if (events.get(DATA, i * EVENT_SIZE + DATA_OFFSET) != WAKER_TOKEN) continue;
            waker.acknowledge();
            MemorySegment.copy(events, (n - 1) * EVENT_SIZE, events, i * EVENT_SIZE, EVENT_SIZE);
            return n - 1;
        }
        return n;
    }

    @Override
    public long readyToken(int i) {
        return i < kernelReady
                ? ready.segment().get(DATA, i * EVENT_SIZE + DATA_OFFSET)
                : alwaysReady.readyToken(i - kernelReady);
    }

    @Override
    public int readyEvents(int i) {
        return i < kernelReady
                ? readiness(ready.segment().get(INT, i * EVENT_SIZE))
                : alwaysReady.readyEvents(i - kernelReady);
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
        LibC.closeQuietly(epfd);
        freeMemory();
    }

    private void freeMemory() {
        ready.close();
        arena.close();
    }

    private static int epollEvents(int interest) {
        int events = 0;
        if ((interest & Event.READ) != 0) events |= EPOLLIN;
        if ((interest & Event.WRITE) != 0) events |= EPOLLOUT;
        if ((interest & Event.CLOSED) != 0) events |= EPOLLRDHUP;
        if ((interest & Event.ET) != 0) events |= EPOLLET;
        return events;
    }

    private static int readiness(int events) {
        int ready = 0;
        if ((events & EPOLLIN) != 0) ready |= Event.READ;
        if ((events & EPOLLOUT) != 0) ready |= Event.WRITE;
        if ((events & EPOLLRDHUP) != 0) ready |= Event.READ | Event.CLOSED;
        if ((events & (EPOLLERR | EPOLLHUP)) != 0) ready |= Event.READ | Event.WRITE;
        if ((events & EPOLLHUP) != 0) ready |= Event.CLOSED;
        return ready;
    }

    /** The epoll_wait timeout: whole milliseconds rounded up (never early), -1 for forever. */
    private static int millisRoundedUp(long nanos) {
        return nanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, Math.ceilDiv(nanos, 1_000_000L));
    }

    private int ctl(int op, int fd, int events, long token) {
        ctlEvent.set(INT, 0, events);
        ctlEvent.set(DATA, DATA_OFFSET, token);
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) EPOLL_CTL.invokeExact(st, epfd, op, fd, ctlEvent);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return rc == 0 ? 0 : Syscall.errno(st);
    }

    private static int createEpoll() throws ErrnoException {
        MemorySegment st = Syscall.state();
        int fd;
        try {
            fd = (int) EPOLL_CREATE1.invokeExact(st, EPOLL_CLOEXEC);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (fd < 0) throw Syscall.error("epoll_create1", st);
        return fd;
    }

    /** Whether epoll_pwait2 works: libc may wrap it while the kernel (before 5.11) lacks it. */
    private boolean kernelHasPwait2() {
        if (EPOLL_PWAIT2_POLL == null) return false;
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) EPOLL_PWAIT2_POLL.invokeExact(st, epfd, ready.segment(), capacity, timeout.of(0), MemorySegment.NULL);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        // Seccomp filters (container runtimes) often refuse syscalls they do not know with EPERM.
        return rc >= 0 || (Syscall.errno(st) != Errno.ENOSYS && Syscall.errno(st) != Errno.EPERM);
    }
}
