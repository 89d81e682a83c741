package org.jevent.bufferevent;

import org.jevent.Event;
import org.jevent.EventCallback;
import org.jevent.buffer.BufferCallback;
import org.jevent.buffer.EvBuffer;

/**
 * The one callback object through which a bufferevent's own events and buffers call it back
 * (libevent passes the bufferevent as the {@code void *} argument of each). One object for
 * every internal hook, instead of a lambda per hook, is a few dozen bytes less per connection,
 * and keeps these methods off the bufferevent's public face.
 */
final class Hooks implements EventCallback, BufferCallback {
    private final BufferEvent bev;

    Hooks(BufferEvent bev) {
        this.bev = bev;
    }

    @Override
    public void onEvent(Event event, int what) {
        bev.onEvent(event, what);
    }

    @Override
    public void changed(EvBuffer buffer, long origSize, long added, long deleted) {
        bev.bufferChanged(buffer, added);
    }
}
