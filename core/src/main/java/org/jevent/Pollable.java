package org.jevent;

import java.nio.channels.SelectableChannel;
import java.util.Objects;

/**
 * Something an {@link EventBase} can watch for I/O readiness: a native file descriptor
 * (libevent's {@code evutil_socket_t}) or, on the {@code nio} backend, a
 * {@link SelectableChannel}. Exactly one of {@link #fd()} and {@link #channel()} is valid.
 *
 * <p>The FFM backends (epoll, poll, select) watch descriptors; the nio backend watches
 * channels. Registering the other kind fails with a clear {@link UnsupportedOperationException}.
 * jevent's own sockets and pipes ({@code org.jevent.net}) are created by the base's
 * {@link EventBase#net() net} factory and always match the base's backend.
 */
public interface Pollable {

    /** The native descriptor, or -1 when this is a channel. */
    int fd();

    /** The NIO channel, or {@code null} when this is a native descriptor. */
    SelectableChannel channel();

    /** A raw descriptor the caller owns (jevent never closes it). */
    static Pollable of(int fd) {
        if (fd < 0) throw new IllegalArgumentException("negative file descriptor: " + fd);
        return new RawFd(fd);
    }

    /** A channel the caller owns; it is switched to non-blocking mode when registered. */
    static Pollable of(SelectableChannel channel) {
        return new RawChannel(Objects.requireNonNull(channel, "channel"));
    }

    /** A descriptor given by number. */
    record RawFd(int fd) implements Pollable {
        @Override public SelectableChannel channel() { return null; }
        @Override public String toString() { return "fd " + fd; }
    }

    /** A channel given by reference. */
    record RawChannel(SelectableChannel channel) implements Pollable {
        @Override public int fd() { return -1; }
        @Override public String toString() { return channel.toString(); }
    }
}
