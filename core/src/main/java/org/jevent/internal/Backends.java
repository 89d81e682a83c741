package org.jevent.internal;

import java.io.IOException;
import java.util.List;
import org.jevent.internal.linux.FdBackends;
import org.jevent.internal.nio.NioBackend;

/** The backends this platform offers, in order of preference, and how to open one. */
public final class Backends {
    /** Every method jevent knows, best first: the FFM ones, then the portable one. */
    public static final List<String> ALL = List.of("epoll", "poll", "select", "nio");

    private Backends() {}

    /** Whether {@code method} can run here. */
    public static boolean available(String method) {
        return method.equals("nio") || FdBackends.available().contains(method);
    }

    /** Opens a backend of {@code method}. */
    public static Backend open(String method) throws IOException {
        return method.equals("nio") ? new NioBackend() : FdBackends.open(method);
    }
}
