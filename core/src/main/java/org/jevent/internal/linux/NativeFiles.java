package org.jevent.internal.linux;

import static org.jevent.internal.linux.Syscall.INT;
import static org.jevent.internal.linux.Syscall.LONG;
import static org.jevent.internal.linux.Syscall.PTR;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.jevent.net.ErrnoException;

/**
 * Files on descriptors for {@code evbuffer_add_file} segments: open(2), pread(2) for the
 * copying paths and sendfile(2) to a descriptor. File reads may wait for the disk, so none
 * of these calls is linked critical.
 */
public final class NativeFiles {
    private static final int O_RDONLY = 0;
    private static final int SEEK_END = 2;

    private static final MethodHandle OPEN = Syscall.function("open", FunctionDescriptor.of(INT, PTR, INT), false);
    private static final MethodHandle LSEEK = Syscall.function("lseek", FunctionDescriptor.of(LONG, INT, LONG, INT), false);
    private static final MethodHandle PREAD = Syscall.function("pread", FunctionDescriptor.of(LONG, INT, PTR, LONG, LONG), false);
    private static final MethodHandle SENDFILE =
            Syscall.function("sendfile", FunctionDescriptor.of(LONG, INT, INT, PTR, LONG), false);

    private NativeFiles() {}

    /** True when files can be opened natively here (Linux with FFM). */
    public static boolean available() {
        return Syscall.available();
    }

    /** open(2) of {@code path} with O_RDONLY|O_CLOEXEC; the caller closes the descriptor ({@link LibC#close}). */
    public static int open(Path path) throws IOException {
        MemorySegment st = Syscall.state();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = (int) OPEN.invokeExact(st, arena.allocateFrom(path.toString()), O_RDONLY | LibC.O_CLOEXEC);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (fd < 0) throw new ErrnoException("open " + path, Syscall.errno(st));
        return fd;
    }

    /** The size of the file open on {@code fd} (lseek to the end; pread and sendfile ignore the offset). */
    public static long size(int fd) throws ErrnoException {
        MemorySegment st = Syscall.state();
        long size;
        try {
            size = (long) LSEEK.invokeExact(st, fd, 0L, SEEK_END);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (size < 0) throw Syscall.error("lseek", st);
        return size;
    }

    /**
     * pread(2) of up to {@code dst.byteSize()} bytes at {@code position} into {@code dst}
     * (native or heap; heap memory travels through this thread's staging area). Returns the
     * bytes read, 0 at the end of the file.
     */
    public static long pread(int fd, MemorySegment dst, long position) throws ErrnoException {
        MemorySegment target = dst.isNative() ? dst
                : ThreadScratch.get().staging.asSlice(0, Math.min(dst.byteSize(), ThreadScratch.STAGING));
        MemorySegment st = Syscall.state();
        long n;
        do {
            try {
                n = (long) PREAD.invokeExact(st, fd, target, target.byteSize(), position);
            } catch (Throwable t) {
                throw Syscall.rethrow(t);
            }
        } while (n < 0 && SocketCalls.interrupted());
        if (n < 0) throw Syscall.error("pread", st);
        if (target != dst) MemorySegment.copy(target, 0, dst, 0, n);
        return n;
    }

    /**
     * sendfile(2) of up to {@code count} bytes of the file {@code inFd} from {@code position}
     * to {@code outFd}: bytes sent, 0 when {@code outFd} cannot take any now (EAGAIN).
     *
     * @throws IOException if the file ends before {@code position + 1}
     */
    public static long sendfile(int outFd, int inFd, long position, long count) throws IOException {
        if (count == 0) return 0;
        MemorySegment offset = ThreadScratch.get().option;
        offset.set(LONG, 0, position);
        MemorySegment st = Syscall.state();
        long n;
        try {
            n = (long) SENDFILE.invokeExact(st, outFd, inFd, offset, count);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (n == 0) throw new IOException("file segment shrank: no data at " + position);
        return n > 0 ? n : Math.max(LibC.wouldBlock("sendfile", st), 0);
    }

    /** Closes without reporting: for a cleanup path that already has an error to report. */
    public static void closeQuietly(int fd) {
        LibC.closeQuietly(fd);
    }

    /** close(2) of a file descriptor from {@link #open}. */
    public static void close(int fd) throws ErrnoException {
        LibC.close(fd);
    }
}
