package org.jevent.internal.linux;

import static org.jevent.internal.linux.Syscall.LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.jevent.net.Errno;
import org.jevent.net.ErrnoException;

/**
 * {@code pidfd_open(2)} (Linux 5.3): a descriptor for a process that polls readable once the
 * process has exited, whoever reaps it. glibc before 2.36 has no wrapper, so it is called
 * through {@code syscall(2)}, which is variadic: the number is the fixed argument, pid and
 * flags follow as {@code long}s (what the kernel reads from the argument registers).
 */
public final class Pidfd {
    /** {@code __NR_pidfd_open}: 434 on every architecture (it came after the tables were unified). */
    private static final long SYS_PIDFD_OPEN = 434;

    private static final MethodHandle SYSCALL =
            Syscall.variadic("syscall", FunctionDescriptor.of(LONG, LONG, LONG, LONG), 1, true);

    private Pidfd() {}

    /**
     * A close-on-exec pidfd for {@code pid}, or -1 when no such process exists any more
     * (ESRCH: it exited and was reaped).
     *
     * @throws ErrnoException for anything else, e.g. ENOSYS on kernels before 5.3 or EPERM
     *         under a seccomp filter
     */
    public static int open(long pid) throws ErrnoException {
        MemorySegment st = Syscall.state();
        long fd;
        try {
            fd = (long) SYSCALL.invokeExact(st, SYS_PIDFD_OPEN, pid, 0L);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (fd >= 0) return (int) fd;
        if (Syscall.errno(st) == Errno.ESRCH) return -1;
        throw Syscall.error("pidfd_open", st);
    }
}
