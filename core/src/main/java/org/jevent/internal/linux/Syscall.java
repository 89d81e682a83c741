package org.jevent.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import org.jevent.net.ErrnoException;

/**
 * The one door to libc: every FFM downcall in jevent is made by {@link #function} and
 * captures {@code errno} into a per-thread state segment, so a -1 result can be turned
 * into an {@link ErrnoException} that names it. Nothing outside this package sees FFM.
 * The one exception, {@link #blockingWait}, is for the backends' waits.
 *
 * <p>Usage: {@code MemorySegment st = Syscall.state(); int rc = (int) H.invokeExact(st, ...);
 * if (rc < 0) throw Syscall.error("call", st);}
 */
public final class Syscall {
    static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(StructLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();
    // One capture segment per thread: no allocation per call.
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private Syscall() {}

    /** True when libc can be reached (Linux); the FFM backends are offered only then. */
    public static boolean available() {
        return AVAILABLE;
    }

    private static final boolean AVAILABLE = System.getProperty("os.name", "").toLowerCase().contains("linux")
            && LINKER.defaultLookup().find("epoll_create1").isPresent();

    /**
     * A downcall handle whose first argument is the errno capture segment.
     * {@code critical}: the call never blocks (non-blocking fds, bookkeeping calls), so the
     * JVM may skip the thread-state transition; it must not be used for blocking waits.
     * Critical calls may also be given heap segments ({@code MemorySegment.ofArray}, heap
     * {@code ByteBuffer}s): the call is short, so keeping the GC off the array is cheap and
     * saves a copy. {@code extra}: further options, e.g. {@code firstVariadicArg}.
     */
    static MethodHandle function(String name, FunctionDescriptor descriptor, boolean critical,
                                 Linker.Option... extra) {
        return find(name, descriptor, critical, extra).orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /**
     * {@link #function} for a variadic C function: {@code descriptor} lists the fixed
     * arguments and then the variadic ones as passed (after C's default promotions), the
     * first of which is argument {@code firstVariadic} (FFM must know where they start).
     */
    static MethodHandle variadic(String name, FunctionDescriptor descriptor, int firstVariadic, boolean critical) {
        return find(name, descriptor, critical, Linker.Option.firstVariadicArg(firstVariadic)).orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** Like {@link #function} but empty when libc lacks the symbol (e.g. epoll_pwait2 on old glibc). */
    static Optional<MethodHandle> find(String name, FunctionDescriptor descriptor, boolean critical,
                                       Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + (critical ? 2 : 1)];
        options[0] = Linker.Option.captureCallState("errno");
        if (critical) options[1] = Linker.Option.critical(true);
        System.arraycopy(extra, 0, options, options.length - extra.length, extra.length);
        return LINKER.defaultLookup().find(name).map(addr -> LINKER.downcallHandle(addr, descriptor, options));
    }

    /**
     * A downcall handle for a backend's blocking wait (epoll_wait, ppoll, pselect) that does
     * not capture errno. Capturing makes a slice of the state segment on every call, an
     * object that C2 removes only when it inlines the whole downcall; for the waits, called
     * far less often than the reads and writes, it often does not (found by the allocation
     * part of {@code bench/run.sh}: a 40-byte segment per wait, the only object the epoll
     * echo loop made). A wait that returns -1 finds its errno by repeating itself, through a
     * capturing handle, with a zero timeout: an interrupted wait (EINTR) then succeeds, a
     * broken one (EBADF, EINVAL, EFAULT) fails again and names its errno. The repeat never
     * blocks, so its handle may be critical.
     */
    static MethodHandle blockingWait(String name, FunctionDescriptor descriptor) {
        return findBlockingWait(name, descriptor).orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** Like {@link #blockingWait} but empty when libc lacks the symbol. */
    static Optional<MethodHandle> findBlockingWait(String name, FunctionDescriptor descriptor) {
        return LINKER.defaultLookup().find(name).map(addr -> LINKER.downcallHandle(addr, descriptor));
    }

    /** This thread's errno capture segment. */
    public static MemorySegment state() {
        return STATE.get();
    }

    /** The errno captured by the last call made with {@code state}. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** An exception for the failed {@code call}, naming the captured errno. */
    public static ErrnoException error(String call, MemorySegment state) {
        return new ErrnoException(call, errno(state));
    }

    /** Rethrows what a downcall threw; downcalls themselves never throw checked exceptions. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
