package org.jevent.listener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.jevent.Event;
import org.jevent.EventBase;
import org.jevent.internal.linux.SocketCalls;
import org.jevent.net.Errno;
import org.jevent.net.ErrnoException;
import org.jevent.net.ListenOptions;
import org.jevent.net.ServerSocket;
import org.jevent.net.StreamSocket;

/**
 * Accepts connections on a listening socket and hands each one to a callback
 * ({@code struct evconnlistener}).
 *
 * <p>Make one with {@link #bind} ({@code evconnlistener_new_bind}: IPv4, IPv6 or Unix-domain)
 * or {@link #wrap} ({@code evconnlistener_new}: a {@link ServerSocket} already listening).
 * While it is enabled and has a callback, the listener watches its socket on its base; each
 * time the socket is readable it accepts up to {@value #MAX_ACCEPTS_PER_WAKEUP} connections
 * (then yields, so one busy listener cannot starve the other events of its loop) and calls
 * {@link AcceptCallback#onAccept} with each. Accepting allocates nothing beyond the new
 * socket and its peer address.
 *
 * <h2>Running out of descriptors</h2>
 * libevent only reports EMFILE/ENFILE and leaves the connection queued, so a level-triggered
 * loop wakes again at once and spins (its most reported listener bug). This listener instead:
 * <ol>
 *   <li>keeps one spare descriptor open (on {@code /dev/null}); on EMFILE/ENFILE it closes the
 *       spare, accepts the pending connection and closes it at once, so the client sees a
 *       clean close instead of hanging in the backlog, then reopens the spare;</li>
 *   <li>if that fails too (no spare, or the process is still over its limit), or accept fails
 *       for any other reason, it stops watching the socket and retries on a timer, after
 *       {@value #FIRST_RETRY_MILLIS} ms, doubling up to {@value #MAX_RETRY_MILLIS} ms while
 *       the failure persists; queued connections wait in the backlog meanwhile;</li>
 *   <li>it reports failures to the {@link AcceptErrorCallback} (or, without one, to the
 *       {@link System.Logger} named after this class) at most once per back-off period, so
 *       a storm of connections cannot flood the logs;</li>
 *   <li>it recovers by itself: the first successful accept resets the back-off.</li>
 * </ol>
 *
 * <h2>Threads</h2>
 * Callbacks run on the base's loop thread. Every method is safe from any thread
 * ({@link #THREADSAFE} is implied). {@link #disable} from another thread does not wait for an
 * accept callback already running; {@link #close} does (as {@link Event#close} does), except
 * from the loop thread, where it may be called from the listener's own callbacks.
 */
public final class ConnListener implements AutoCloseable {
    /** {@code LEV_OPT_CLOSE_ON_FREE}: {@link #close} closes a {@link #wrap wrapped} socket too. */
    public static final int CLOSE_ON_FREE = 1 << 1;
    /** {@code LEV_OPT_CLOSE_ON_EXEC}: always the case for jevent sockets; accepted for compatibility. */
    public static final int CLOSE_ON_EXEC = 1 << 2;
    /** {@code LEV_OPT_REUSEABLE}: {@code SO_REUSEADDR}, rebind at once after a restart. */
    public static final int REUSEABLE = 1 << 3;
    /** {@code LEV_OPT_THREADSAFE}: always the case; accepted for compatibility. */
    public static final int THREADSAFE = 1 << 4;
    /** {@code LEV_OPT_DISABLED}: start disabled; {@link #enable} starts accepting. */
    public static final int DISABLED = 1 << 5;
    /**
     * {@code LEV_OPT_DEFERRED_ACCEPT}: the kernel reports a TCP connection only once the client
     * has sent data ({@code TCP_DEFER_ACCEPT}, native sockets on Linux). Only for protocols
     * where the client speaks first. A no-op on NIO sockets and Unix-domain sockets.
     */
    public static final int DEFERRED_ACCEPT = 1 << 6;
    /** {@code LEV_OPT_REUSEABLE_PORT}: {@code SO_REUSEPORT}, several listeners share the port. */
    public static final int REUSEABLE_PORT = 1 << 7;
    /** {@code LEV_OPT_BIND_IPV6ONLY}: an IPv6 socket accepts IPv6 only (native sockets only). */
    public static final int BIND_IPV6ONLY = 1 << 8;
    /** {@code LEV_OPT_BIND_IPV4_AND_IPV6}: an IPv6 wildcard accepts IPv4 too (the default). */
    public static final int BIND_IPV4_AND_IPV6 = 1 << 9;

    /** Most connections accepted per readiness, for fairness towards the loop's other events. */
    public static final int MAX_ACCEPTS_PER_WAKEUP = 64;
    static final long FIRST_RETRY_MILLIS = 100, MAX_RETRY_MILLIS = 1000;
    private static final long FIRST_RETRY = TimeUnit.MILLISECONDS.toNanos(FIRST_RETRY_MILLIS);
    private static final long MAX_RETRY = TimeUnit.MILLISECONDS.toNanos(MAX_RETRY_MILLIS);
    private static final System.Logger LOG = System.getLogger(ConnListener.class.getName());

    static {
        // The out-of-descriptors path runs when no descriptor is free to read a class file:
        // load the classes it needs now.
        loaded(ErrnoException.class, Errno.class);
    }

    private final EventBase base;
    private final ServerSocket socket;
    private final boolean closeSocket;
    private final Event acceptEvent;
    private final Event retryTimer;
    private final SpareDescriptor spare;
    private final Object lock = new Object();

    private volatile AcceptCallback callback;
    private volatile AcceptErrorCallback errorCallback;
    private volatile boolean enabled;
    private volatile boolean closed;
    // Guarded by lock.
    private boolean backingOff;
    private boolean watching;
    // Loop thread only.
    private long retryDelay = FIRST_RETRY;
    private long quietUntil;
    private boolean reported;

    private ConnListener(EventBase base, ServerSocket socket, int flags, boolean closeSocket, AcceptCallback callback)
            throws IOException {
        if ((socket.channel() != null) != base.net().name().equals("nio")) {
            throw new IllegalArgumentException(socket + " does not suit a base using " + base.method());
        }
        this.base = base;
        this.socket = socket;
        this.closeSocket = closeSocket;
        if ((flags & DEFERRED_ACCEPT) != 0) deferAccept(socket);
        this.spare = SpareDescriptor.forHandle(socket);
        this.acceptEvent = base.newEvent(socket, Event.READ | Event.PERSIST, this::onReadable);
        this.retryTimer = base.newTimer(this::onRetry);
        this.callback = callback;
        this.enabled = (flags & DISABLED) == 0;
        try {
            synchronized (lock) {
                updateWatch();
            }
        } catch (RuntimeException cannotWatch) {
            acceptEvent.close();
            retryTimer.close();
            spare.close();
            throw cannotWatch;
        }
    }

    /**
     * {@code evconnlistener_new_bind}: a new socket bound to {@code address} and listening,
     * made by {@code base.net()}. The listener owns it: {@link #close} closes it.
     *
     * @param flags    {@link #REUSEABLE}, {@link #REUSEABLE_PORT}, {@link #BIND_IPV6ONLY} or
     *                 {@link #BIND_IPV4_AND_IPV6}, {@link #DISABLED}, {@link #DEFERRED_ACCEPT},
     *                 {@link #CLOSE_ON_EXEC}, {@link #THREADSAFE}, {@link #CLOSE_ON_FREE}
     * @param backlog  the {@code listen(2)} queue length; zero or negative for
     *                 {@link ListenOptions#DEFAULT_BACKLOG} (the system's maximum)
     * @param callback receives the connections; null to set one later with {@link #setCallback}
     *                 (the listener does not accept until it has one)
     */
    public static ConnListener bind(EventBase base, SocketAddress address, int flags, int backlog,
                                    AcceptCallback callback) throws IOException {
        if ((flags & BIND_IPV6ONLY) != 0 && (flags & BIND_IPV4_AND_IPV6) != 0) {
            throw new IllegalArgumentException("BIND_IPV6ONLY and BIND_IPV4_AND_IPV6 exclude each other");
        }
        ListenOptions options = new ListenOptions(backlog > 0 ? backlog : ListenOptions.DEFAULT_BACKLOG,
                (flags & REUSEABLE) != 0, (flags & REUSEABLE_PORT) != 0, (flags & BIND_IPV6ONLY) != 0);
        ServerSocket socket = base.net().listen(address, options);
        try {
            return new ConnListener(base, socket, flags, true, callback);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * {@code evconnlistener_new}: listens with a socket that is already bound and listening
     * (it must come from {@code base.net()}). The socket is closed by {@link #close} only with
     * {@link #CLOSE_ON_FREE}. Of the flags, {@link #DISABLED}, {@link #DEFERRED_ACCEPT} and
     * {@link #CLOSE_ON_FREE} apply; the others concern binding.
     */
    public static ConnListener wrap(EventBase base, ServerSocket socket, int flags, AcceptCallback callback)
            throws IOException {
        return new ConnListener(base, socket, flags, (flags & CLOSE_ON_FREE) != 0, callback);
    }

    private static void deferAccept(ServerSocket socket) throws IOException {
        if (socket.fd() >= 0 && socket.localAddress() instanceof InetSocketAddress) {
            // The value is a timeout in seconds after which the kernel stops waiting for data.
            SocketCalls.setInt(socket.fd(), SocketCalls.IPPROTO_TCP, SocketCalls.TCP_DEFER_ACCEPT, 1);
        }
    }

    private static void loaded(Class<?>... classes) {
        // Referring to the classes is what loads them.
    }

    // ---- accessors ----

    /** {@code evconnlistener_get_base}. */
    public EventBase base() {
        return base;
    }

    /** {@code evconnlistener_get_fd}: the listening socket. */
    public ServerSocket getSocket() {
        return socket;
    }

    /** Whether the listener is enabled (it accepts once it also has a callback). */
    public boolean isEnabled() {
        return enabled;
    }

    // ---- control ----

    /** {@code evconnlistener_enable}: accept again; connections queued meanwhile are accepted. */
    public void enable() {
        synchronized (lock) {
            checkOpen();
            enabled = true;
            updateWatch();
        }
    }

    /**
     * {@code evconnlistener_disable}: stop accepting; new connections wait in the kernel's
     * backlog (and are refused or dropped once it is full).
     */
    public void disable() {
        synchronized (lock) {
            checkOpen();
            enabled = false;
            updateWatch();
        }
    }

    /** {@code evconnlistener_set_cb}: a new callback; null stops accepting until one is set. */
    public void setCallback(AcceptCallback callback) {
        synchronized (lock) {
            checkOpen();
            this.callback = callback;
            updateWatch();
        }
    }

    /** {@code evconnlistener_set_error_cb}: told of accept failures; null to log them instead. */
    public void setErrorCallback(AcceptErrorCallback callback) {
        this.errorCallback = callback;
    }

    /**
     * {@code evconnlistener_free}: stops accepting for good and releases the spare
     * descriptor; closes the socket if the listener made it or was given
     * {@link #CLOSE_ON_FREE}. Idempotent.
     */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            enabled = false;
        }
        // Outside the lock: these wait for a callback running on the loop thread, which may
        // itself be calling into this listener.
        acceptEvent.close();
        retryTimer.close();
        spare.close();
        if (closeSocket) socket.close();
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("listener is closed");
    }

    /** Watches the socket exactly when accepting is wanted. Called with the lock held. */
    private void updateWatch() {
        boolean want = enabled && callback != null && !closed && !backingOff;
        if (want == watching) return;
        if (want) acceptEvent.add();
        else acceptEvent.delNoWait();
        watching = want;
    }

    // ---- the loop side ----

    private void onReadable(Event e, int what) {
        for (int i = 0; i < MAX_ACCEPTS_PER_WAKEUP; i++) {
            AcceptCallback cb = callback;
            if (cb == null || !enabled) return;
            StreamSocket conn;
            try {
                conn = socket.accept();
            } catch (IOException failure) {
                if (acceptFailed(failure)) continue;
                return;
            }
            if (conn == null) return;
            retryDelay = FIRST_RETRY;
            deliver(cb, conn);
        }
    }

    private void deliver(AcceptCallback cb, StreamSocket conn) {
        SocketAddress peer;
        try {
            peer = conn.remoteAddress();
        } catch (IOException resetMeanwhile) {
            closeQuietly(conn);
            return;
        }
        cb.onAccept(this, conn, peer);
    }

    /** Deals with a failed accept; true when accepting may go on at once. */
    private boolean acceptFailed(IOException failure) {
        boolean shed = outOfDescriptors(failure) && shedWithSpare();
        report(failure);
        if (shed) return true;
        pause();
        return false;
    }

    /** Gives up the spare so that the pending connection can be accepted and closed at once. */
    private boolean shedWithSpare() {
        if (!spare.held()) return false;
        spare.release();
        try {
            StreamSocket conn = socket.accept();
            if (conn != null) closeQuietly(conn);
            return true;
        } catch (IOException stillFull) {
            return false;
        } finally {
            spare.acquire();
        }
    }

    private void pause() {
        synchronized (lock) {
            if (closed) return;
            backingOff = true;
            updateWatch();
            retryTimer.add(retryDelay, TimeUnit.NANOSECONDS);
        }
        retryDelay = Math.min(retryDelay * 2, MAX_RETRY);
    }

    private void onRetry(Event e, int what) {
        spare.acquire();
        synchronized (lock) {
            backingOff = false;
            updateWatch();
        }
    }

    /** Passes the failure on, at most once per back-off period. */
    private void report(IOException failure) {
        long now = System.nanoTime();
        if (reported && now - quietUntil < 0) return;
        reported = true;
        quietUntil = now + retryDelay;
        AcceptErrorCallback cb = errorCallback;
        if (cb != null) cb.onError(this, failure);
        else LOG.log(System.Logger.Level.WARNING, "accept failed on " + socket + ": " + failure.getMessage());
    }

    static boolean outOfDescriptors(IOException failure) {
        if (failure instanceof ErrnoException errno) {
            return errno.errno() == Errno.EMFILE || errno.errno() == Errno.ENFILE;
        }
        // NIO reports strerror: "Too many open files" (EMFILE) or "... in system" (ENFILE).
        String message = failure.getMessage();
        return message != null && message.startsWith("Too many open files");
    }

    private static void closeQuietly(StreamSocket conn) {
        try {
            conn.close();
        } catch (IOException ignored) {
            // nothing useful to do about a connection we are dropping
        }
    }

    @Override
    public String toString() {
        return "ConnListener[" + socket + (closed ? ", closed" : enabled ? "" : ", disabled") + "]";
    }
}
