package org.jevent.bufferevent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jevent.Event;
import org.jevent.EventBase;
import org.jevent.buffer.EvBuffer;
import org.jevent.net.StreamSocket;

/**
 * A bufferevent over a stream socket ({@code bufferevent_socket_new}): reads with one
 * {@code readv} per readiness into pooled segments ({@link #maxSingleRead()} at most) and
 * writes with {@code writev}.
 *
 * <h2>When output is written: write-through</h2>
 * libevent writes only from the write event, one loop round after data was added. Here, data
 * added while writing is enabled and no write is already waiting for the socket is written
 * <em>without</em> going through the poller:
 * <ul>
 *   <li>added inside a callback or handler of this bufferevent (the echo case: the read
 *       callback moves input to output), it is written once when that callback returns, so
 *       several additions make one {@code writev};</li>
 *   <li>added elsewhere on the loop thread (a timer, another bufferevent's callback), it is
 *       written at once, and the callbacks that write causes are deferred;</li>
 *   <li>added from another thread ({@link #THREADSAFE}), the write event is added and the
 *       loop writes.</li>
 * </ul>
 * Only what the socket does not take at once waits for the write event. An echo exchange
 * thus costs one {@code readv} and one {@code writev}, with no {@code epoll_ctl} and no
 * extra poll round.
 *
 * <h2>Flush</h2>
 * {@link FlushMode#FLUSH} or {@link FlushMode#FINISHED} in {@link #WRITE} direction writes
 * what it can now; {@link FlushMode#FINISHED} then shuts the socket's sending side down as
 * soon as the output has drained (the peer reads end of stream).
 *
 * <h2>Errors</h2>
 * A failed read gives {@code READING | ERROR}, end of stream {@code READING | EOF} (writing
 * goes on: a half-closed peer still reads), a failed write {@code WRITING | ERROR}; each
 * disables its direction. A failed connect gives {@code ERROR}, a failed lookup too
 * (see {@link #lookupError()}).
 */
public final class SocketBufferEvent extends BufferEvent {
    /** How long {@link #connectHostname} waits for the resolver before giving up. */
    public static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

    private StreamSocket socket;
    private Event readEvent;
    private Event writeEvent;
    private boolean readAdded;
    private boolean writeAdded;
    private boolean connecting;
    /** Output was added inside one of our handlers: write it when the handler returns. */
    private boolean flushPending;
    /** {@link FlushMode#FINISHED} was asked: shut the sending side once the output drains. */
    private boolean finishing;
    /** The {@link #connectHostname} under way, or null. */
    private HostnameLookup lookup;
    private IOException lookupError;
    /** Created by the first rate limit or group, kept until close (its timer lives that long). */
    private RateLimiter rateLimiter;
    /** Whether {@link #rateLimiter} applies now (an own limit or a group): the I/O paths' one check. */
    private boolean limited;

    SocketBufferEvent(EventBase base, StreamSocket socket, int options) {
        super(base, options, null);
        output.setFlags(EvBuffer.DRAINS_TO_FD); // as libevent does: the output only goes to the socket
        if (socket != null) {
            attach(socket);
        }
    }

    /** {@code bufferevent_getfd}: the socket, or null before one is set or connected. */
    public StreamSocket socket() {
        return socket;
    }

    /**
     * {@code bufferevent_setfd}: uses {@code newSocket} (connected, from {@code base.net()})
     * from now on, keeping the buffers and enabled directions; the old socket is left open.
     */
    public void setSocket(StreamSocket newSocket) {
        Event oldRead;
        Event oldWrite;
        lock();
        try {
            oldRead = readEvent;
            oldWrite = writeEvent;
            stopEvents();
            connecting = false;
            finishing = false;
            readSuspended &= ~SUSPEND_CONNECTING;
            writeSuspended &= ~SUSPEND_CONNECTING;
            socket = null;
            readEvent = writeEvent = null;
            if (newSocket != null) {
                attach(newSocket);
                int io = (readSuspended == 0 ? READ : 0) | (writeSuspended == 0 ? WRITE : 0);
                startIo(enabled & io);
            }
        } finally {
            unlock();
        }
        closeEvents(oldRead, oldWrite);
    }

    /**
     * {@code bufferevent_replacefd} (libevent 2.2): like {@link #setSocket}, and the old socket
     * is closed if {@link #CLOSE_ON_FREE}.
     */
    public void replaceSocket(StreamSocket newSocket) throws IOException {
        StreamSocket old = socket;
        setSocket(newSocket);
        if (old != null && (options & CLOSE_ON_FREE) != 0) {
            old.close();
        }
    }

    /**
     * {@code bufferevent_socket_connect}: starts connecting a new socket of the base's
     * {@code net()} to {@code remote}. The event callback later gets {@link #CONNECTED}, or
     * {@link #ERROR} with the failure (also for failures known at once). Reading and writing
     * wait for the connection; data written meanwhile is sent then. The write timeout, if
     * set, bounds the connect ({@link #TIMEOUT} | {@link #WRITING}).
     *
     * @throws IllegalStateException if the bufferevent has a socket already
     */
    public void connect(SocketAddress remote) {
        lock();
        try {
            if (socket != null || lookup != null) {
                throw new IllegalStateException("the bufferevent has a socket or is connecting");
            }
            StreamSocket s;
            try {
                s = base.net().connect(remote);
            } catch (IOException e) {
                runEvent(ERROR, e, true);
                return;
            }
            attach(s);
            connecting = true;
            suspendRead(SUSPEND_CONNECTING);
            suspendWrite(SUSPEND_CONNECTING);
            addWrite();
        } finally {
            unlock();
        }
    }

    /** {@link #connectHostname(String, int, Resolver)} with {@link Resolver#system()}. */
    public void connectHostname(String host, int port) {
        connectHostname(host, port, Resolver.system());
    }

    /**
     * {@code bufferevent_socket_connect_hostname}: resolves {@code host} with
     * {@code resolver} (off the loop thread; the loop never waits) and connects to the first
     * address, as {@link #connect}. A failed lookup, or none within {@link #LOOKUP_TIMEOUT},
     * gives {@link #ERROR} with the failure, kept as {@link #lookupError()}. The pending
     * lookup keeps the loop running.
     */
    public void connectHostname(String host, int port, Resolver resolver) {
        HostnameLookup pending;
        lock();
        try {
            if (socket != null || lookup != null) {
                throw new IllegalStateException("the bufferevent has a socket or is connecting");
            }
            lookupError = null;
            suspendRead(SUSPEND_LOOKUP);
            suspendWrite(SUSPEND_LOOKUP);
            pending = lookup = new HostnameLookup(base.newTimer(hooks), port);
            pending.done.add(LOOKUP_TIMEOUT);
        } finally {
            unlock();
        }
        resolver.resolve(host).whenComplete((addresses, failure) -> {
            pending.found = addresses;
            pending.failure = failure;
            try {
                pending.done.activate(Event.READ);
            } catch (IllegalStateException closed) {
                // the lookup timed out or the bufferevent was closed: nobody waits any more
            }
        });
    }

    /** {@code bufferevent_socket_get_dns_error}: why the last lookup failed, or null. */
    public IOException lookupError() {
        return lookupError;
    }

    /** Our socket's events by their kind (the handlers tell current from replaced ones), then timers. */
    @Override
    void onEvent(Event e, int what) {
        int kind = e.events();
        HostnameLookup l = lookup;
        if ((kind & Event.READ) != 0) {
            onReadable(e, what);
        } else if ((kind & Event.WRITE) != 0) {
            onWritable(e, what);
        } else if (l != null && e == l.done) {
            lookupDone(e);
        } else {
            super.onEvent(e, what);
        }
    }

    private void lookupDone(Event e) {
        lock();
        enter();
        try {
            HostnameLookup l = lookup;
            if (closed || l == null || e != l.done) {
                return;
            }
            lookup = null;
            e.close();
            readSuspended &= ~SUSPEND_LOOKUP;
            writeSuspended &= ~SUSPEND_LOOKUP;
            List<InetAddress> found = l.found;
            if (found == null || found.isEmpty()) {
                Throwable f = l.failure;
                lookupError = f instanceof IOException io ? io
                        : (IOException) new UnknownHostException(f == null ? "lookup timed out" : f.toString()).initCause(f);
                restartIo();
                runEvent(ERROR, lookupError, false);
                return;
            }
            connect(new InetSocketAddress(found.getFirst(), l.port));
        } finally {
            leave();
            unlock();
        }
    }

    private void restartIo() {
        int io = (readSuspended == 0 ? READ : 0) | (writeSuspended == 0 ? WRITE : 0);
        if ((enabled & io) != 0) {
            startIo(enabled & io);
        }
    }

    // ---------------------------------------------------------------- rate limits

    /**
     * {@code bufferevent_set_rate_limit}: limits this bufferevent's reading and writing to
     * {@code cfg} (null: no own limit; a {@link RateLimitGroup} still applies). The bucket
     * starts full, so a fresh limit allows one burst at once (libevent starts it at one
     * tick's rate); changing the rates but not the tick keeps the current levels, clipped to
     * the new bursts. When a bucket is empty, that direction is suspended, not disabled
     * ({@link #enabled()} is unchanged), until the tick that refills it.
     */
    public void setRateLimit(TokenBucketConfig cfg) {
        lock();
        try {
            if (cfg == null && rateLimiter == null) {
                return;
            }
            limiter().configure(cfg);
            limited = rateLimiter.active();
        } finally {
            unlock();
        }
    }

    /** The own rate limit, or null. */
    public TokenBucketConfig rateLimit() {
        lock();
        try {
            return rateLimiter == null ? null : rateLimiter.config();
        } finally {
            unlock();
        }
    }

    /** The group this bufferevent is a member of, or null. */
    public RateLimitGroup rateLimitGroup() {
        lock();
        try {
            return rateLimiter == null ? null : rateLimiter.group;
        } finally {
            unlock();
        }
    }

    /**
     * {@code bufferevent_get_read_limit}: tokens in the own read bucket now (negative after
     * an overdraft), or {@link Long#MAX_VALUE} without an own limit.
     */
    public long getReadLimit() {
        return ownLevel(READ);
    }

    /** {@code bufferevent_get_write_limit}: as {@link #getReadLimit} for writing. */
    public long getWriteLimit() {
        return ownLevel(WRITE);
    }

    private long ownLevel(int dir) {
        lock();
        try {
            return rateLimiter == null ? Long.MAX_VALUE : rateLimiter.level(dir);
        } finally {
            unlock();
        }
    }

    /**
     * {@code bufferevent_get_max_to_read}: the most the next read may take, given
     * {@link #maxSingleRead()}, the own bucket and the group's share.
     */
    public long getMaxToRead() {
        return allowance(READ, tuning.maxSingleRead);
    }

    /** {@code bufferevent_get_max_to_write}: as {@link #getMaxToRead} for writing. */
    public long getMaxToWrite() {
        return allowance(WRITE, tuning.maxSingleWrite);
    }

    private long allowance(int dir, long max) {
        lock();
        try {
            return limited ? rateLimiter.allowance(dir, max) : max;
        } finally {
            unlock();
        }
    }

    /**
     * {@code bufferevent_decrement_read_limit}: takes {@code bytes} from the own read bucket
     * (negative: adds), as if they had been read; reading is suspended if that empties it
     * and resumes when it is positive again.
     *
     * @throws IllegalStateException without an own rate limit
     */
    public void decrementReadLimit(long bytes) {
        decrementLimit(READ, bytes);
    }

    /** {@code bufferevent_decrement_write_limit}: as {@link #decrementReadLimit} for writing. */
    public void decrementWriteLimit(long bytes) {
        decrementLimit(WRITE, bytes);
    }

    private void decrementLimit(int dir, long bytes) {
        RateLimitGroup.checkAmount(bytes);
        lock();
        try {
            if (rateLimiter == null) {
                throw new IllegalStateException("the bufferevent has no rate limit of its own");
            }
            rateLimiter.decrement(dir, bytes);
        } finally {
            unlock();
        }
    }

    void joinGroup(RateLimitGroup group) {
        lock();
        try {
            if (closed) {
                throw new IllegalStateException("bufferevent closed");
            }
            RateLimiter rl = limiter();
            if (rl.group == group) {
                return;
            }
            if (rl.group != null) {
                rl.group.removeMember(rl);
            }
            group.addMember(rl);
            rl.joined(group);
            limited = true;
        } finally {
            unlock();
        }
    }

    void leaveGroup(RateLimitGroup group) {
        lock();
        try {
            if (rateLimiter == null || rateLimiter.group != group) {
                return;
            }
            group.removeMember(rateLimiter);
            rateLimiter.left();
            limited = rateLimiter.active();
        } finally {
            unlock();
        }
    }

    private RateLimiter limiter() {
        if (rateLimiter == null) {
            rateLimiter = new RateLimiter(this);
        }
        return rateLimiter;
    }

    /**
     * The rate limiter's timer: a bucket refilled. Resumes what may move again and moves it
     * at once, so that the order in which a group wakes its members is the order they move in.
     */
    void onRateTimer(Event e, int what) {
        lock();
        enter();
        try {
            if (closed || socket == null || connecting) {
                return;
            }
            rateLimiter.resume();
            if (canRead()) {
                readSome();
            }
            if (!closed && canWrite() && output.length() > 0) {
                writeOut();
            }
        } finally {
            leave();
            unlock();
        }
    }

    // ---------------------------------------------------------------- the kind's operations

    @Override
    void startIo(int what) {
        if (socket == null) {
            return;
        }
        if ((what & READ) != 0) {
            addRead();
        }
        if ((what & WRITE) != 0 && output.length() > 0) {
            addWrite();
        }
    }

    @Override
    void stopIo(int what) {
        if (socket == null) {
            return;
        }
        if ((what & READ) != 0 && readAdded) {
            readEvent.delNoWait();
            readAdded = false;
        }
        if ((what & WRITE) != 0 && writeAdded && !connecting) {
            writeEvent.delNoWait();
            writeAdded = false;
        }
    }

    @Override
    void timeoutsChanged() {
        if (readAdded) {
            addRead();
        }
        if (writeAdded) {
            addWrite();
        }
    }

    @Override
    boolean flushIo(int iotype, FlushMode mode) {
        if ((iotype & WRITE) == 0 || mode == FlushMode.NORMAL || socket == null || connecting) {
            return false;
        }
        long before = output.length();
        enter();
        try {
            if (before > 0 && canWrite()) {
                writeOut();
            }
            if (mode == FlushMode.FINISHED && !closed) {
                finishing = true;
                if (output.length() == 0) {
                    finish();
                }
            }
        } finally {
            leave();
        }
        return closed || output.length() < before;
    }

    @Override
    void detach() {
        stopEvents();
        if (rateLimiter != null && rateLimiter.group != null) {
            rateLimiter.group.removeMember(rateLimiter);
        }
    }

    @Override
    void release() {
        closeEvents(readEvent, writeEvent);
        if (rateLimiter != null) {
            rateLimiter.timer.close();
        }
        if (lookup != null) {
            lookup.done.close();
        }
        if (socket != null && (options & CLOSE_ON_FREE) != 0) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that is left to do with it
            }
        }
    }

    @Override
    void idle() {
        while (flushPending && !closed) {
            flushPending = false;
            if (socket != null && !writeAdded && canWrite() && output.length() > 0) {
                writeOut();
            }
        }
    }

    // ---------------------------------------------------------------- events and I/O

    private void attach(StreamSocket s) {
        socket = s;
        // FINALIZE: deleting never waits for a callback on the loop thread, which may be
        // blocked on this bufferevent's lock; the handlers ignore events no longer current.
        readEvent = base.newEvent(s, Event.READ | Event.PERSIST | Event.FINALIZE, hooks);
        writeEvent = base.newEvent(s, Event.WRITE | Event.PERSIST | Event.FINALIZE, hooks);
    }

    private void stopEvents() {
        if (readAdded) {
            readEvent.delNoWait();
            readAdded = false;
        }
        if (writeAdded) {
            writeEvent.delNoWait();
            writeAdded = false;
        }
    }

    private static void closeEvents(Event read, Event write) {
        if (read != null) {
            read.close();
            write.close();
        }
    }

    private void addRead() {
        add(readEvent, tuning.readTimeoutNanos);
        readAdded = true;
    }

    private void addWrite() {
        add(writeEvent, tuning.writeTimeoutNanos);
        writeAdded = true;
    }

    private static void add(Event e, long timeoutNanos) {
        if (timeoutNanos >= 0) {
            e.add(timeoutNanos, TimeUnit.NANOSECONDS);
        } else {
            e.removeTimer();
            e.add();
        }
    }

    /** Output grew: write it through now, after our handler, or from the write event. */
    @Override
    void outputGrew() {
        if (socket == null || writeAdded || !canWrite()) {
            return;
        }
        if (busy()) {
            flushPending = true;
        } else if (!base.inLoopThread()) {
            addWrite();
        } else {
            enter();
            deferring++;
            try {
                writeOut();
            } finally {
                deferring--;
                leave();
            }
        }
    }

    private void onReadable(Event e, int what) {
        lock();
        enter();
        try {
            if (closed || e != readEvent) {
                return;
            }
            if (what == Event.TIMEOUT) { // with READ too, data came in time
                readStopped(TIMEOUT, null);
                return;
            }
            readSome();
        } finally {
            leave();
            unlock();
        }
    }

    /** One read of at most {@link #maxSingleRead()}, less if the watermark or a rate limit says so. */
    private void readSome() {
        Tuning t = tuning;
        long max = t.maxSingleRead;
        if (t.readHigh > 0) {
            long room = t.readHigh - input.length();
            if (room <= 0) {
                suspendRead(SUSPEND_WM);
                return;
            }
            max = Math.min(max, room);
        }
        RateLimiter rl = limited ? rateLimiter : null;
        if (rl != null && (max = rl.allowance(READ, max)) == 0) {
            rl.blocked(READ);
            return;
        }
        long n;
        try {
            n = input.readFrom(socket, max);
        } catch (IOException ex) {
            readStopped(ERROR, ex);
            return;
        }
        if (n < 0) {
            readStopped(EOF, null);
            return;
        }
        if (rl != null && n > 0) {
            rl.moved(READ, n);
        }
        if (n > 0 && input.length() >= t.readLow) {
            runRead(false);
        }
    }

    private void onWritable(Event e, int what) {
        lock();
        enter();
        try {
            if (closed || e != writeEvent) {
                return;
            }
            if (what == Event.TIMEOUT) {
                connecting = false;
                writeStopped(TIMEOUT, null);
            } else if (connecting) {
                connectDone();
            } else if (output.length() > 0 && canWrite()) {
                writeOut();
            } else {
                stopIo(WRITE);
            }
        } finally {
            leave();
            unlock();
        }
    }

    private void connectDone() {
        try {
            if (!socket.finishConnect()) {
                return; // not yet: wait for the next readiness
            }
        } catch (IOException ex) {
            connecting = false;
            stopIo(WRITE);
            runEvent(ERROR, ex, false);
            return;
        }
        connecting = false;
        writeEvent.delNoWait();
        writeAdded = false;
        readSuspended &= ~SUSPEND_CONNECTING;
        writeSuspended &= ~SUSPEND_CONNECTING;
        runEvent(CONNECTED, null, false);
        if (!closed) {
            restartIo();
        }
    }

    /** One write of at most {@link #maxSingleWrite()} (or what a rate limit allows); waits for the write event if data is left. */
    private void writeOut() {
        long max = tuning.maxSingleWrite;
        RateLimiter rl = limited ? rateLimiter : null;
        if (rl != null && (max = rl.allowance(WRITE, max)) == 0) {
            rl.blocked(WRITE);
            return;
        }
        long n;
        try {
            n = output.writeTo(socket, max);
        } catch (IOException ex) {
            writeStopped(ERROR, ex);
            return;
        }
        if (rl != null && n > 0) {
            rl.moved(WRITE, n); // may suspend writing, which removes the write event
        }
        if (output.length() == 0) {
            if (writeAdded) {
                writeEvent.delNoWait();
                writeAdded = false;
            }
            if (finishing) {
                finish();
            }
        } else if (!writeAdded && canWrite()) {
            addWrite();
        }
        if (n > 0 && output.length() <= tuning.writeLow) {
            runWrite(false);
        }
    }

    /** The output drained after {@link FlushMode#FINISHED}: the peer reads end of stream. */
    private void finish() {
        finishing = false;
        try {
            socket.shutdownOutput();
        } catch (IOException ex) {
            writeStopped(ERROR, ex);
        }
    }
}
