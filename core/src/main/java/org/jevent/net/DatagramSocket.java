package org.jevent.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A UDP socket ({@code socket(SOCK_DGRAM)} with {@code sendto(2)} / {@code recvfrom(2)}, as
 * evdns uses). Non-blocking: readable means a datagram is queued.
 */
public interface DatagramSocket extends NetSocket {

    /**
     * Sends {@code src} (position to limit) as one datagram to {@code target}, or to the
     * connected peer when {@code target} is {@code null}. Returns the bytes sent (all of
     * them) or {@code 0} when the send buffer is full; advances the position by that.
     */
    int send(ByteBuffer src, SocketAddress target) throws IOException;

    /**
     * Receives one datagram into {@code dst}, advancing its position; the part that does not
     * fit is discarded. Returns the sender, or {@code null} when nothing is queued.
     */
    SocketAddress receive(ByteBuffer dst) throws IOException;

    /**
     * Fixes the peer ({@code connect(2)} on a datagram socket): only its datagrams are
     * received, and {@link #send} may be given a {@code null} target.
     */
    void connect(SocketAddress peer) throws IOException;

    /** The connected peer, or {@code null}. */
    SocketAddress remoteAddress() throws IOException;

    @Override
    <T> DatagramSocket setOption(java.net.SocketOption<T> option, T value) throws IOException;
}
