package org.jevent.internal.linux;

import java.util.List;
import org.jevent.Pollable;
import org.jevent.internal.Backend;
import org.jevent.net.ErrnoException;

/**
 * The backends that watch native descriptors through FFM, in libevent's order of
 * preference: epoll, poll, select. The core lists and opens them by name here, which keeps
 * their classes (and their libc bindings) unloaded where libc cannot be reached.
 */
public final class FdBackends {
    /** Method names, most preferred first. */
    public static final List<String> NAMES = List.of(EpollBackend.NAME, PollBackend.NAME, SelectBackend.NAME);

    private FdBackends() {}

    /** The names usable on this platform: all of {@link #NAMES} on Linux, none elsewhere. */
    public static List<String> available() {
        return Syscall.available() ? NAMES : List.of();
    }

    /** Opens the backend called {@code name}, one of {@link #available()}. */
    public static Backend open(String name) throws ErrnoException {
        if (!available().contains(name)) {
            throw new IllegalArgumentException("no descriptor backend \"" + name + "\" here; available: " + available());
        }
        return switch (name) {
            case EpollBackend.NAME -> new EpollBackend();
            case PollBackend.NAME -> new PollBackend();
            default -> new SelectBackend();
        };
    }

    /** The descriptor of {@code handle}, or a clear refusal when it is a NIO channel. */
    static int fdOf(Pollable handle, String backend) {
        int fd = handle.fd();
        if (fd < 0) {
            throw new UnsupportedOperationException(backend + " backend watches file descriptors; " + handle
                    + " is a NIO channel: use the nio backend or jevent's own sockets");
        }
        return fd;
    }
}
