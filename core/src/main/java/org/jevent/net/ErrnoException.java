package org.jevent.net;

import java.io.IOException;

/**
 * A failed system call: the {@code errno} it set, its symbolic name and the call that failed,
 * e.g. {@code "connect: ECONNREFUSED (111)"}. What libevent reports through
 * {@code EVUTIL_SOCKET_ERROR()} and {@code evutil_socket_error_to_string}.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String call;

    public ErrnoException(String call, int errno) {
        super(call + ": " + Errno.name(errno) + " (" + errno + ")");
        this.errno = errno;
        this.call = call;
    }

    /** The errno value (Linux numbering). */
    public int errno() { return errno; }

    /** Its symbolic name, e.g. "ECONNRESET". */
    public String errnoName() { return Errno.name(errno); }

    /** The failed call, e.g. "epoll_ctl". */
    public String call() { return call; }
}
