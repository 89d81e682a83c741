package org.jevent.internal.linux;

import static org.jevent.internal.linux.Syscall.INT;
import static org.jevent.internal.linux.Syscall.LONG;
import static org.jevent.internal.linux.Syscall.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.jevent.net.Errno;
import org.jevent.net.ErrnoException;

/**
 * Descriptor-level libc calls shared by every FFM user: close, read, write, pipe2,
 * socketpair, eventfd. Reads and writes are non-blocking by contract (jevent only does I/O
 * on non-blocking descriptors), so they are linked as critical calls.
 */
public final class LibC {
    public static final int O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    public static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_NONBLOCK = O_NONBLOCK, SOCK_CLOEXEC = O_CLOEXEC;
    public static final int EFD_NONBLOCK = O_NONBLOCK, EFD_CLOEXEC = O_CLOEXEC;

    private static final MethodHandle CLOSE = Syscall.function("close", FunctionDescriptor.of(INT, INT), true);
    private static final MethodHandle READ = Syscall.function("read", FunctionDescriptor.of(LONG, INT, PTR, LONG), true);
    private static final MethodHandle WRITE = Syscall.function("write", FunctionDescriptor.of(LONG, INT, PTR, LONG), true);
    private static final MethodHandle PIPE2 = Syscall.function("pipe2", FunctionDescriptor.of(INT, PTR, INT), true);
    private static final MethodHandle SOCKETPAIR =
            Syscall.function("socketpair", FunctionDescriptor.of(INT, INT, INT, INT, PTR), true);
    private static final MethodHandle EVENTFD = Syscall.function("eventfd", FunctionDescriptor.of(INT, INT, INT), true);
    // open(2) without its optional mode argument: read-only opens never create a file.
    private static final MethodHandle OPEN = Syscall.function("open", FunctionDescriptor.of(INT, PTR, INT), true);
    private static final int O_RDONLY = 0;
    private static final MemorySegment DEV_NULL = Arena.global().allocateFrom("/dev/null");

    private LibC() {}

    /** close(2). EINTR still closes the descriptor on Linux, so it is not an error here. */
    public static void close(int fd) throws ErrnoException {
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) CLOSE.invokeExact(st, fd);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (rc < 0 && Syscall.errno(st) != Errno.EINTR) throw Syscall.error("close", st);
    }

    /** Closes without reporting: for cleanup paths that already have an error to report. */
    public static void closeQuietly(int fd) {
        try {
            close(fd);
        } catch (ErrnoException ignored) {
            // the descriptor is gone either way
        }
    }

    /**
     * read(2) into native memory: bytes read, 0 at end of file, -1 when it would block.
     */
    public static long read(int fd, MemorySegment buf, long len) throws ErrnoException {
        MemorySegment st = Syscall.state();
        long n;
        try {
            n = (long) READ.invokeExact(st, fd, buf, len);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return n >= 0 ? n : wouldBlock("read", st);
    }

    /** write(2) from native memory: bytes written, -1 when it would block. */
    public static long write(int fd, MemorySegment buf, long len) throws ErrnoException {
        MemorySegment st = Syscall.state();
        long n;
        try {
            n = (long) WRITE.invokeExact(st, fd, buf, len);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return n >= 0 ? n : wouldBlock("write", st);
    }

    /** -1 for EAGAIN/EINTR (try later), an exception for anything else. */
    static long wouldBlock(String call, MemorySegment st) throws ErrnoException {
        int e = Syscall.errno(st);
        if (e == Errno.EAGAIN || e == Errno.EINTR) return -1;
        throw new ErrnoException(call, e);
    }

    /** pipe2(2) with O_NONBLOCK|O_CLOEXEC: {read end, write end}. */
    public static int[] pipe() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(INT, 2);
            MemorySegment st = Syscall.state();
            int rc;
            try {
                rc = (int) PIPE2.invokeExact(st, fds, O_NONBLOCK | O_CLOEXEC);
            } catch (Throwable t) {
                throw Syscall.rethrow(t);
            }
            if (rc < 0) throw Syscall.error("pipe2", st);
            return new int[] {fds.getAtIndex(INT, 0), fds.getAtIndex(INT, 1)};
        }
    }

    /** socketpair(2) of the given family and type, non-blocking and close-on-exec. */
    public static int[] socketPair(int family, int type) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(INT, 2);
            MemorySegment st = Syscall.state();
            int rc;
            try {
                rc = (int) SOCKETPAIR.invokeExact(st, family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds);
            } catch (Throwable t) {
                throw Syscall.rethrow(t);
            }
            if (rc < 0) throw Syscall.error("socketpair", st);
            return new int[] {fds.getAtIndex(INT, 0), fds.getAtIndex(INT, 1)};
        }
    }

    /**
     * Opens {@code /dev/null} read-only and close-on-exec: a descriptor that holds a slot in
     * the descriptor table and nothing else (a spare to give up when the table is full).
     */
    public static int openNullDevice() throws ErrnoException {
        MemorySegment st = Syscall.state();
        int fd;
        try {
            fd = (int) OPEN.invokeExact(st, DEV_NULL, O_RDONLY | O_CLOEXEC);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (fd < 0) throw Syscall.error("open", st);
        return fd;
    }

    /** eventfd(2), non-blocking and close-on-exec. */
    public static int eventfd() throws ErrnoException {
        MemorySegment st = Syscall.state();
        int fd;
        try {
            fd = (int) EVENTFD.invokeExact(st, 0, EFD_NONBLOCK | EFD_CLOEXEC);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (fd < 0) throw Syscall.error("eventfd", st);
        return fd;
    }
}
