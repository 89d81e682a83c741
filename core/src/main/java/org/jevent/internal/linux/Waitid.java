package org.jevent.internal.linux;

import static org.jevent.internal.linux.Syscall.INT;
import static org.jevent.internal.linux.Syscall.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.jevent.net.Errno;
import org.jevent.net.ErrnoException;

/**
 * {@code waitid(P_PID, pid, &info, WSTOPPED | WCONTINUED | WNOHANG)} for one child: its
 * stops and continues, never its exit. Without {@code WEXITED} the call cannot reap, so it
 * never takes an exit from the JVM's reaper thread (which waits with {@code waitpid(pid, 0)},
 * a call that reports exits only and so leaves stops and continues to us).
 *
 * <p>The kernel keeps at most one unreported change per child, the latest (a stop is
 * reported only while the child is still stopped, a continue only until it stops again);
 * whoever asks first consumes it.
 */
public final class Waitid {
    /** {@code si_code} of a stop report (the stop signal is in {@code si_status}). */
    public static final int CLD_STOPPED = 5;
    /** {@code si_code} of a continue report ({@code si_status} is SIGCONT). */
    public static final int CLD_CONTINUED = 6;

    private static final int P_PID = 1;
    private static final int WNOHANG = 1, WSTOPPED = 2, WCONTINUED = 8;
    // siginfo_t on 64-bit Linux: si_signo, si_errno, si_code, then the union at 16, whose
    // SIGCHLD part starts with si_pid, si_uid, si_status; 128 bytes in all.
    private static final long SIZE = 128, SI_CODE = 8, SI_PID = 16, SI_STATUS = 24;

    // WNOHANG: the call never blocks, so it may be critical.
    private static final MethodHandle WAITID =
            Syscall.function("waitid", FunctionDescriptor.of(INT, INT, INT, PTR, INT), true);

    private final int pid;
    /** The siginfo_t the kernel fills, reused by every call. */
    private final MemorySegment info = Arena.ofAuto().allocate(SIZE, 8);

    public Waitid(long pid) {
        this.pid = Math.toIntExact(pid);
    }

    /**
     * Takes the child's unreported stop or continue: {@link #CLD_STOPPED},
     * {@link #CLD_CONTINUED}, or 0 when there is none (also when the child was reaped
     * already, ECHILD: its exit is reported by whoever reaped it).
     *
     * @throws ErrnoException for anything else (EINVAL)
     */
    public int next() throws ErrnoException {
        info.set(INT, SI_PID, 0); // WNOHANG with nothing to report leaves si_pid as it was
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) WAITID.invokeExact(st, P_PID, pid, info, WSTOPPED | WCONTINUED | WNOHANG);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (rc < 0) {
            if (Syscall.errno(st) == Errno.ECHILD) return 0;
            throw Syscall.error("waitid", st);
        }
        return info.get(INT, SI_PID) == 0 ? 0 : info.get(INT, SI_CODE);
    }

    /** {@code si_status} of the last report: the stop signal, or SIGCONT for a continue. */
    public int signal() {
        return info.get(INT, SI_STATUS);
    }
}
