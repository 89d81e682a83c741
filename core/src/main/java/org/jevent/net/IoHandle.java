package org.jevent.net;

import java.io.IOException;
import org.jevent.Pollable;

/**
 * Something jevent opened that an event loop can watch and that must be closed: a socket or
 * a pipe end (libevent's {@code evutil_socket_t} plus {@code evutil_closesocket}).
 *
 * <p>Every handle is non-blocking and close-on-exec. Handles made by {@link Net#nativeNet()}
 * carry a descriptor ({@link #fd()}); handles made by {@link Net#nio()} carry a channel
 * ({@link #channel()}), so each matches the backends of its kind.
 */
public interface IoHandle extends Pollable, AutoCloseable {

    /** False once {@link #close()} has been called. */
    boolean isOpen();

    /**
     * Closes the handle ({@code close(2)} / {@code Channel.close}). Idempotent: later calls do
     * nothing. Any other operation after closing throws
     * {@link java.nio.channels.ClosedChannelException}.
     */
    @Override
    void close() throws IOException;
}
