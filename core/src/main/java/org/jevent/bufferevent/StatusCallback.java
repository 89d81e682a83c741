package org.jevent.bufferevent;

import java.io.IOException;

/**
 * The event callback of a {@link BufferEvent} ({@code bufferevent_event_cb}): end of stream,
 * an error, a timeout or a finished connect, as {@link BufferEvent#EOF}, {@link BufferEvent#ERROR},
 * {@link BufferEvent#TIMEOUT} and {@link BufferEvent#CONNECTED} combined with
 * {@link BufferEvent#READING} or {@link BufferEvent#WRITING}. Runs on the loop thread.
 */
@FunctionalInterface
public interface StatusCallback {
    /**
     * @param events what happened, e.g. {@code ERROR | WRITING}
     * @param error the cause with {@link BufferEvent#ERROR} (an
     *     {@link org.jevent.net.ErrnoException} from native sockets), otherwise null
     */
    void onEvent(BufferEvent bev, int events, IOException error);
}
