package org.jevent.bufferevent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns a host name into addresses for {@link SocketBufferEvent#connectHostname} (the
 * {@code evdns_base} argument of {@code bufferevent_socket_connect_hostname}). It must not
 * block the calling thread, which is usually a loop thread: it returns a stage that
 * completes later, on any thread.
 */
@FunctionalInterface
public interface Resolver {
    /** Addresses of {@code host}, best first; completes exceptionally (e.g. {@link UnknownHostException}) if none. */
    CompletionStage<List<InetAddress>> resolve(String host);

    /**
     * The system resolver ({@link InetAddress#getAllByName}: hosts file, DNS, caching as the
     * JDK does), called on a virtual thread per lookup so the loop never waits.
     */
    static Resolver system() {
        return host -> {
            CompletableFuture<List<InetAddress>> result = new CompletableFuture<>();
            Thread.ofVirtual().name("jevent-resolver").start(() -> {
                try {
                    result.complete(List.of(InetAddress.getAllByName(host)));
                } catch (UnknownHostException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            return result;
        };
    }
}
