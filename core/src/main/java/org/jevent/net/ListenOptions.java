package org.jevent.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How {@link Net#listen} sets up a listening socket (libevent's {@code evconnlistener} flags
 * {@code LEV_OPT_REUSEABLE}, {@code LEV_OPT_REUSEABLE_PORT}, {@code LEV_OPT_BIND_IPV6ONLY}
 * and its {@code backlog}).
 *
 * @param backlog      the accept queue length passed to {@code listen(2)}; positive
 * @param reuseAddress {@code SO_REUSEADDR}: rebind while old connections are in TIME_WAIT
 * @param reusePort    {@code SO_REUSEPORT}: several sockets share the port (one per loop)
 * @param ipv6Only     {@code IPV6_V6ONLY} on an IPv6 address; when false an IPv6 wildcard
 *                     also accepts IPv4. Not supported by the NIO implementation (the JDK
 *                     has no such option), which rejects {@code true}.
 */
public record ListenOptions(int backlog, boolean reuseAddress, boolean reusePort, boolean ipv6Only) {

    /**
     * The default backlog: the system's maximum, {@code net.core.somaxconn} (as Netty reads
     * it), else 4096, Linux's value since 5.4. libevent passes 128 for -1, which drops the
     * SYNs of a burst of connections (a second's retransmission each) while the loop is
     * busy; the kernel clamps any backlog to somaxconn anyway.
     */
    public static final int DEFAULT_BACKLOG = systemMaximumBacklog();

    public ListenOptions {
        if (backlog <= 0) throw new IllegalArgumentException("backlog must be positive: " + backlog);
    }

    /** {@link #DEFAULT_BACKLOG}, SO_REUSEADDR on, SO_REUSEPORT off, dual-stack IPv6. */
    public static ListenOptions defaults() {
        return new ListenOptions(DEFAULT_BACKLOG, true, false, false);
    }

    public ListenOptions withBacklog(int backlog) {
        return new ListenOptions(backlog, reuseAddress, reusePort, ipv6Only);
    }

    public ListenOptions withReuseAddress(boolean on) {
        return new ListenOptions(backlog, on, reusePort, ipv6Only);
    }

    public ListenOptions withReusePort(boolean on) {
        return new ListenOptions(backlog, reuseAddress, on, ipv6Only);
    }

    public ListenOptions withIpv6Only(boolean on) {
        return new ListenOptions(backlog, reuseAddress, reusePort, on);
    }

    private static int systemMaximumBacklog() {
        try {
            // Not Files.readString: on this /proc file it returned "4" of "4096" (JDK 25).
            int max = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).getFirst().trim());
            return max > 0 ? max : 4096;
        } catch (IOException | RuntimeException e) { // not Linux, /proc hidden, or unreadable
            return 4096;
        }
    }
}
