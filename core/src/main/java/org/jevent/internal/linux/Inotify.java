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
 * inotify(7): a descriptor that polls readable when a watched file or directory changes.
 * jevent only uses it as a wake-up (which path changed is found by stat), so the events read
 * are discarded.
 */
public final class Inotify {
    private static final int IN_NONBLOCK = LibC.O_NONBLOCK, IN_CLOEXEC = LibC.O_CLOEXEC;
    /** The file itself: contents, attributes, and its own deletion or move. */
    public static final int FILE_EVENTS = 0x2 /* IN_MODIFY */ | 0x4 /* IN_ATTRIB */ | 0x8 /* IN_CLOSE_WRITE */
            | 0x400 /* IN_DELETE_SELF */ | 0x800 /* IN_MOVE_SELF */;
    /** Its directory: entries created, deleted or moved in or out. */
    public static final int DIRECTORY_EVENTS = 0x40 /* IN_MOVED_FROM */ | 0x80 /* IN_MOVED_TO */
            | 0x100 /* IN_CREATE */ | 0x200 /* IN_DELETE */;

    private static final MethodHandle INIT1 = Syscall.function("inotify_init1", FunctionDescriptor.of(INT, INT), true);
    private static final MethodHandle ADD_WATCH =
            Syscall.function("inotify_add_watch", FunctionDescriptor.of(INT, INT, PTR, INT), false);

    private Inotify() {}

    /** {@code inotify_init1(IN_NONBLOCK | IN_CLOEXEC)}. */
    public static int open() throws ErrnoException {
        MemorySegment st = Syscall.state();
        int fd;
        try {
            fd = (int) INIT1.invokeExact(st, IN_NONBLOCK | IN_CLOEXEC);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (fd < 0) throw Syscall.error("inotify_init1", st);
        return fd;
    }

    /**
     * {@code inotify_add_watch}: watches {@code path} for {@code mask} (adding to an existing
     * watch of it is harmless); false when the path does not exist (ENOENT, ENOTDIR). It
     * resolves the path, so it may block on a slow filesystem: not for the loop thread.
     */
    public static boolean watch(int fd, String path, int mask) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment st = Syscall.state();
            int wd;
            try {
                wd = (int) ADD_WATCH.invokeExact(st, fd, cpath, mask);
            } catch (Throwable t) {
                throw Syscall.rethrow(t);
            }
            if (wd >= 0) return true;
            int err = Syscall.errno(st);
            if (err == Errno.ENOENT || err == Errno.ENOTDIR) return false;
            throw new ErrnoException("inotify_add_watch", err);
        }
    }

    /** Reads and discards every queued event; {@code buffer} should hold 4 KiB or more. */
    public static void drain(int fd, MemorySegment buffer) throws ErrnoException {
        while (LibC.read(fd, buffer, buffer.byteSize()) > 0) {
            // discard: the watcher stats the path to learn what changed
        }
    }
}
