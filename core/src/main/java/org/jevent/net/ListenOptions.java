package org.jevent.net;

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

    /** libevent's default backlog when it is given -1. */
    public static final int DEFAULT_BACKLOG = 128;

    public ListenOptions {
        if (backlog <= 0) throw new IllegalArgumentException("backlog must be positive: " + backlog);
    }

    /** Backlog 128, SO_REUSEADDR on, SO_REUSEPORT off, dual-stack IPv6. */
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
}
