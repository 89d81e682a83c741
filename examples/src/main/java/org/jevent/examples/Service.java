package org.jevent.examples;

import org.jevent.bufferevent.BufferEvent;

/**
 * What a {@link Server} does with each connection: the example's protocol. Runs on the loop
 * thread that owns the connection, with a fresh socket bufferevent ({@code READ} not yet
 * enabled, as libevent makes them) that the service sets callbacks on and enables.
 */
@FunctionalInterface
interface Service {
    void serve(BufferEvent bev);
}
