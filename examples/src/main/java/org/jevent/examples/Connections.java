package org.jevent.examples;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jevent.EventBase;
import org.jevent.bufferevent.BufferEvent;
import org.jevent.bufferevent.DataCallback;
import org.jevent.bufferevent.StatusCallback;
import org.jevent.net.StreamSocket;

/**
 * The open connections of a {@link Server}, one socket bufferevent each. Closing a base does
 * not close the sockets of its bufferevents, so a server that stops must close them itself:
 * this registry lets it. Every connection is opened and closed here, on its loop's thread, so
 * each loop's set is its own and needs no lock: an identity hash set, a few array slots per
 * connection where a concurrent set would add a node object to each.
 */
final class Connections {
    private final Map<EventBase, Set<BufferEvent>> open = new ConcurrentHashMap<>();
    private final DataCallback closeWhenDrained = this::close;
    private final StatusCallback closer = this::onStatus;

    /**
     * {@code bufferevent_socket_new} over an accepted {@code socket}, with
     * {@code BEV_OPT_CLOSE_ON_FREE} so that closing the bufferevent closes the socket.
     * {@code TCP_NODELAY}: replies go out at once instead of waiting for Nagle's algorithm to
     * collect more.
     */
    BufferEvent open(EventBase base, StreamSocket socket) throws IOException {
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        BufferEvent bev = BufferEvent.socket(base, socket, BufferEvent.CLOSE_ON_FREE);
        open.computeIfAbsent(base, b -> Collections.newSetFromMap(new IdentityHashMap<>())).add(bev);
        return bev;
    }

    /** {@code bufferevent_free}: closes the connection at once; what is still queued is lost. */
    void close(BufferEvent bev) {
        Set<BufferEvent> ofLoop = open.get(bev.base());
        if (ofLoop != null) ofLoop.remove(bev);
        bev.close();
    }

    /**
     * Closes the connection once the peer has been sent all its output: stops reading, and
     * with a write low watermark of 0 the write callback runs when the output is empty,
     * which is the moment to close (libevent's hello-world does this in {@code conn_writecb}).
     */
    void closeWhenFlushed(BufferEvent bev) {
        bev.disable(BufferEvent.READ);
        if (bev.getOutput().length() == 0) {
            close(bev);
            return;
        }
        bev.setWatermark(BufferEvent.WRITE, 0, 0);
        bev.setCallbacks(null, closeWhenDrained, closer);
    }

    /**
     * The event callback most services want: at end of stream, flush what the peer is owed
     * and close; on an error or timeout, close at once.
     */
    StatusCallback closer() {
        return closer;
    }

    private void onStatus(BufferEvent bev, int events, IOException error) {
        if ((events & (BufferEvent.ERROR | BufferEvent.TIMEOUT)) == 0 && (events & BufferEvent.EOF) != 0) {
            closeWhenFlushed(bev);
        } else {
            close(bev);
        }
    }

    /** Closes every connection of {@code base}; from its loop thread, when the server stops. */
    void closeAll(EventBase base) {
        Set<BufferEvent> ofLoop = open.remove(base);
        if (ofLoop != null) {
            for (BufferEvent bev : ofLoop) bev.close();
        }
    }
}
