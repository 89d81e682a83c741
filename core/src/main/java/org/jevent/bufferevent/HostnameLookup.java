package org.jevent.bufferevent;

import java.net.InetAddress;
import java.util.List;
import org.jevent.Event;

/**
 * One {@link SocketBufferEvent#connectHostname} under way: the timer that ends it (fired by
 * the resolver's answer or by {@link SocketBufferEvent#LOOKUP_TIMEOUT}), the port to connect
 * to, and what the resolver found, written on its thread and read on the loop's. Made per
 * lookup, so that the bufferevents that never look a name up carry one field for it.
 */
final class HostnameLookup {
    final Event done;
    final int port;
    volatile List<InetAddress> found;
    volatile Throwable failure;

    HostnameLookup(Event done, int port) {
        this.done = done;
        this.port = port;
    }
}
