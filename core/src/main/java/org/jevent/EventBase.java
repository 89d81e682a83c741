package org.jevent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jevent.internal.Backend;
import org.jevent.internal.Backends;
import org.jevent.net.Net;

/**
 * The reactor ({@code struct event_base}): waits on an OS demultiplexer and runs the
 * callbacks of events whose descriptors became ready, whose timeouts passed, whose signals
 * arrived, or that were activated by hand.
 *
 * <h2>One iteration of the loop</h2>
 * <ol>
 *   <li>Stop if {@link #loopExit} or {@link #loopBreak} was called, or (unless
 *       {@link #NO_EXIT_ON_EMPTY}) when no event is pending or active.</li>
 *   <li>Poll the backend: do not block when events are active or with {@link #NONBLOCK};
 *       otherwise block until the earliest timer is due, or forever when there is none.</li>
 *   <li>Cache the time, queue the ready descriptors and caught signals, then the expired
 *       timers.</li>
 *   <li>Run the callbacks of the most urgent non-empty priority (0 is most urgent).</li>
 * </ol>
 *
 * <h2>Priorities: strict lock-out</h2>
 * As in libevent, once a priority level's callbacks have run, the loop polls again before it
 * looks at less urgent levels: while urgent events keep becoming active, less urgent ones
 * wait (they may starve). {@link EventBaseConfig.Builder#maxDispatchInterval} bounds how long
 * the loop spends in levels at or above a minimum priority before checking for new events.
 *
 * <h2>Threads</h2>
 * One loop runs a base at a time, on whatever thread calls {@link #loop} (a second concurrent
 * call fails). Every method, of the base and of its events, is safe from any thread; changes
 * from another thread wake the loop at once. Callbacks run with no lock held.
 *
 * <h2>Time</h2>
 * Timers use the monotonic {@link System#nanoTime()} clock and never fire early. The loop
 * reads the clock once per iteration and {@link #now()} returns that cached value inside
 * callbacks (unless configured with {@code noCacheTime}).
 */
public final class EventBase implements AutoCloseable {
    /** {@code EVLOOP_ONCE}: block for events, run one round of active callbacks, return. */
    public static final int ONCE = 0x01;
    /** {@code EVLOOP_NONBLOCK}: do not block; run what is ready now and return. */
    public static final int NONBLOCK = 0x02;
    /** {@code EVLOOP_NO_EXIT_ON_EMPTY}: keep running with no events, until exit or break. */
    public static final int NO_EXIT_ON_EMPTY = 0x04;

    /** {@code EVENT_MAX_PRIORITIES}. */
    public static final int MAX_PRIORITIES = 256;

    static final List<String> ALL_METHODS = Backends.ALL;
    private static volatile boolean debugMode;

    final ReentrantLock lock = new ReentrantLock();
    private final Condition callbackDone = lock.newCondition();
    private final EventBaseConfig config;
    private final Backend backend;
    private final IoMap io = new IoMap();
    private final EventGroup[] signals = new EventGroup[Signals.MAX + 1];
    final TimerHeap timers = new TimerHeap();
    private final Map<Long, CommonTimeout> commonTimeouts = new HashMap<>();
    private EventList[] active;
    private int activeCount;
    /** Non-internal events that are inserted or have a timer: what keeps the loop alive. */
    private int pendingCount;

    private final AtomicIntegerArray caughtSignals = new AtomicIntegerArray(Signals.MAX + 1);
    private volatile boolean signalsCaught;

    private Thread owner;
    private boolean running;
    private boolean closed;
    private boolean gotExit, gotBreak, gotContinue;
    private Event runningEvent;
    private int waitingForCallback;
    private boolean timeCached;
    private long cachedNow;

    private EventBase(EventBaseConfig config, Backend backend) {
        this.config = config;
        this.backend = backend;
        this.active = newQueues(config.priorities());
    }

    private static EventList[] newQueues(int n) {
        EventList[] queues = new EventList[n];
        for (int i = 0; i < n; i++) queues[i] = new EventList(EventList.ACTIVE);
        return queues;
    }

    // ---- creation and introspection ----

    /** {@code event_base_new}: the best available method, honouring the environment. */
    public static EventBase create() {
        return create(EventBaseConfig.DEFAULT);
    }

    /**
     * {@code event_base_new_with_config}: the first method, in the order of
     * {@link #supportedMethods()}, that is not avoided (by the config or, unless ignored, by a
     * {@code JEVENT_NO<METHOD>} environment variable such as {@code JEVENT_NOEPOLL}) and has
     * every required feature. {@code JEVENT_SHOW_METHOD} prints the choice to stderr.
     *
     * @throws IllegalStateException when no method qualifies
     */
    public static EventBase create(EventBaseConfig config) {
        List<String> rejected = new ArrayList<>();
        for (String method : supportedMethods()) {
            if (config.avoidedMethods().contains(method)
                    || (!config.ignoreEnvironment() && System.getenv("JEVENT_NO" + method.toUpperCase()) != null)) {
                rejected.add(method + " (avoided)");
                continue;
            }
            Backend backend;
            try {
                backend = Backends.open(method);
            } catch (IOException | RuntimeException | LinkageError e) {
                rejected.add(method + " (" + e.getMessage() + ")");
                continue;
            }
            if ((backend.features() & config.requiredFeatures()) != config.requiredFeatures()) {
                backend.close();
                rejected.add(method + " (lacks " + Feature.of(config.requiredFeatures() & ~backend.features()) + ")");
                continue;
            }
            if (!config.ignoreEnvironment() && System.getenv("JEVENT_SHOW_METHOD") != null) {
                System.err.println("[jevent] using " + method);
            }
            return new EventBase(config, backend);
        }
        throw new IllegalStateException("no event method qualifies: " + rejected);
    }

    /** {@code event_get_supported_methods}: the methods available here, best first. */
    public static List<String> supportedMethods() {
        return ALL_METHODS.stream().filter(Backends::available).toList();
    }

    /**
     * {@code event_enable_debug_mode}: events remember where they were closed, so a later
     * misuse (adding, activating or re-initialising a closed event) fails with an exception
     * whose cause shows the close. Call it before creating events; it cannot be turned off.
     */
    public static void enableDebugMode() {
        debugMode = true;
    }

    /** {@code event_base_get_method}: "epoll", "poll", "select" or "nio". */
    public String method() {
        return backend.name();
    }

    /**
     * The socket factory that suits this base's backend: {@link Net#nio()} for "nio",
     * {@link Net#nativeNet()} for the descriptor backends. Sockets and pipes made by it can
     * be watched by this base.
     */
    public Net net() {
        return backend.name().equals("nio") ? Net.nio() : Net.nativeNet();
    }

    /** {@code event_base_get_features}. */
    public Set<Feature> features() {
        return Feature.of(backend.features());
    }

    /** The configuration this base was made with. */
    public EventBaseConfig config() {
        return config;
    }

    /** {@code event_base_get_npriorities}. */
    public int priorities() {
        return active.length;
    }

    /**
     * {@code event_base_priority_init}: sets the number of priorities (1..256). Allowed only
     * while no event is pending or active; events created earlier keep their priority,
     * clamped to the new range.
     */
    public void priorityInit(int n) {
        if (n < 1 || n > MAX_PRIORITIES) throw new IllegalArgumentException("priorities must be 1.." + MAX_PRIORITIES);
        lock.lock();
        try {
            if (activeCount > 0 || pendingCount > 0) {
                throw new IllegalStateException("cannot change priorities while events are pending or active");
            }
            active = newQueues(n);
        } finally {
            lock.unlock();
        }
    }

    // ---- event factories ----

    /** {@code event_new(base, fd, what, cb, arg)} for a {@link Pollable} (a jevent socket, say). */
    public Event newEvent(Pollable handle, int what, EventCallback callback) {
        return new Event(this, handle, -1, what, callback);
    }

    /** {@code event_new} for a raw descriptor (epoll, poll and select backends). */
    public Event newEvent(int fd, int what, EventCallback callback) {
        return newEvent(Pollable.of(fd), what, callback);
    }

    /** {@code event_new} for a NIO channel (nio backend). */
    public Event newEvent(SelectableChannel channel, int what, EventCallback callback) {
        return newEvent(Pollable.of(channel), what, callback);
    }

    /** {@code evtimer_new}: a pure timer; {@code add(timeout)} it. */
    public Event newTimer(EventCallback callback) {
        return new Event(this, null, -1, 0, callback);
    }

    /** {@code evsignal_new}: a persistent event for signal {@code signo} (see {@link Signals}). */
    public Event newSignal(int signo, EventCallback callback) {
        if (Signals.name(signo) == null) throw new IllegalArgumentException("unsupported signal number " + signo);
        return new Event(this, null, signo, Event.SIGNAL | Event.PERSIST, callback);
    }

    /**
     * {@code event_base_once}: runs {@code callback} once, when {@code handle} is ready for
     * {@code what} or {@code timeout} passes (null handle: a pure timer; null timeout: none).
     * A pure timer with a zero or null timeout runs in the next round of callbacks. Events
     * still waiting are dropped when the base closes.
     */
    public void once(Pollable handle, int what, Duration timeout, EventCallback callback) {
        if ((what & (Event.SIGNAL | Event.PERSIST)) != 0) {
            throw new IllegalArgumentException("once events cannot be signals or persistent");
        }
        Event e = new Event(this, handle, -1, what & ~Event.TIMEOUT, callback);
        e.state |= Event.S_ONCE;
        long nanos = timeout == null ? -1 : timeout.toNanos();
        if (handle == null && nanos <= 0) activate(e, Event.TIMEOUT, 1);
        else add(e, nanos, null);
    }

    /**
     * {@code event_base_init_common_timeout}: a shared timeout for many events of the same
     * duration; see {@link CommonTimeout}. The same duration gives the same object.
     */
    public CommonTimeout commonTimeout(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos < 0) throw new IllegalArgumentException("negative duration");
        lock.lock();
        try {
            return commonTimeouts.computeIfAbsent(nanos, n -> new CommonTimeout(this, n));
        } finally {
            lock.unlock();
        }
    }

    // ---- the loop ----

    /** {@code event_base_dispatch}: {@code loop(0)}. */
    public int dispatch() {
        return loop(0);
    }

    /**
     * {@code event_base_loop}: runs the loop until no events remain, {@link #loopExit} or
     * {@link #loopBreak}, or as {@code flags} ({@link #ONCE}, {@link #NONBLOCK},
     * {@link #NO_EXIT_ON_EMPTY}) say.
     *
     * @return 0 when it stopped as asked, 1 when it stopped because no event was pending or
     *         active. An exception thrown by a callback propagates; the base stays usable.
     * @throws IllegalStateException when a loop already runs on this base
     */
    public int loop(int flags) {
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("event base is closed");
            if (running) {
                throw new IllegalStateException("the loop of this base is already running on " + owner.getName());
            }
            running = true;
            owner = Thread.currentThread();
            gotExit = gotBreak = false;
            try {
                return iterate(flags);
            } finally {
                running = false;
                owner = null;
                timeCached = false;
            }
        } finally {
            lock.unlock();
        }
    }

    private int iterate(int flags) {
        for (;;) {
            gotContinue = false;
            timeCached = false;
            if (gotExit || gotBreak) return 0;
            if ((flags & NO_EXIT_ON_EMPTY) == 0 && pendingCount == 0 && activeCount == 0) return 1;
            pollBackend(pollTimeout(flags));
            cacheTime();
            expireTimers();
            if (activeCount > 0) {
                int ran = runActive();
                if ((flags & ONCE) != 0 && activeCount == 0 && ran != 0) return 0;
            } else if ((flags & NONBLOCK) != 0) {
                return 0;
            }
        }
    }

    private long pollTimeout(int flags) {
        if (activeCount > 0 || (flags & NONBLOCK) != 0 || signalsCaught) return 0;
        Event next = timers.peek();
        if (next == null) return -1;
        return Math.max(0, next.deadline - System.nanoTime());
    }

    private void pollBackend(long timeoutNanos) {
        int ready;
        lock.unlock();
        try {
            ready = backend.poll(timeoutNanos);
        } catch (IOException e) {
            throw new UncheckedIOException("poll failed on " + backend.name(), e);
        } finally {
            lock.lock();
        }
        for (int i = 0; i < ready; i++) {
            IoSlot slot = io.byToken(backend.readyToken(i));
            if (slot != null) activateSlot(slot, backend.readyEvents(i));
        }
        if (signalsCaught) queueSignals();
    }

    private void activateSlot(IoSlot slot, int ready) {
        // Snapshot the count: activation does not change the slot, callbacks are not run here.
        for (int i = 0, n = slot.count; i < n; i++) {
            Event e = slot.events[i];
            int what = ready & e.events & (Event.READ | Event.WRITE | Event.CLOSED);
            if (what != 0) activate(e, what, 1);
        }
    }

    private void expireTimers() {
        long now = now();
        Event e;
        while ((e = timers.peek()) != null && e.deadline <= now) {
            CommonTimeout owner = e.ownerTimeout;
            if (owner == null) {
                expire(e);
                continue;
            }
            Event head;
            while ((head = owner.queue.first()) != null && head.deadline <= now) expire(head);
            owner.rearm();
        }
    }

    /** A timer passed: not pending on time any more; non-persistent events stop entirely. */
    private void expire(Event e) {
        unschedule(e);
        if ((e.events & Event.PERSIST) == 0) removeInterest(e);
        activate(e, Event.TIMEOUT, 1);
    }

    /** Runs the most urgent non-empty level; returns how many user callbacks ran. */
    private int runActive() {
        long end = config.maxDispatchNanos() < 0 ? Long.MAX_VALUE : System.nanoTime() + config.maxDispatchNanos();
        for (int p = 0; p < active.length; p++) {
            if (active[p].isEmpty()) continue;
            boolean limited = p >= config.minPriority();
            int ran = runQueue(active[p], limited ? config.maxCallbacks() : Integer.MAX_VALUE,
                    limited ? end : Long.MAX_VALUE);
            if (ran != 0 || gotBreak) return ran;
        }
        return 0;
    }

    private int runQueue(EventList queue, int maxCallbacks, long end) {
        int ran = 0;
        Event e;
        while ((e = queue.pollFirst()) != null) {
            activeCount--;
            e.state &= ~Event.S_ACTIVE;
            int what = e.res, calls = e.ncalls;
            e.res = 0;
            if ((e.state & Event.S_FINALIZING) != 0) {
                runFinalizer(e);
            } else {
                if ((e.events & Event.PERSIST) != 0) rearm(e, what);
                else unschedule(e, true);
                for (int i = 0; i < calls && (i == 0 || (e.state & Event.S_INSERTED) != 0); i++) {
                    runCallback(e, what);
                }
                if ((e.state & Event.S_ONCE) != 0) e.state |= Event.S_CLOSED;
            }
            ran++;
            if (gotBreak || gotContinue || ran >= maxCallbacks || (end != Long.MAX_VALUE && System.nanoTime() >= end)) {
                break;
            }
        }
        return ran;
    }

    private void runCallback(Event e, int what) {
        runningEvent = e;
        lock.unlock();
        try {
            e.callback.onEvent(e, what);
        } finally {
            lock.lock();
            runningEvent = null;
            if (waitingForCallback > 0) callbackDone.signalAll();
        }
    }

    private void runFinalizer(Event e) {
        Consumer<Event> f = e.finalizer;
        e.finalizer = null;
        e.state &= ~Event.S_FINALIZING;
        runningEvent = e;
        lock.unlock();
        try {
            f.accept(e);
        } finally {
            lock.lock();
            runningEvent = null;
            if (waitingForCallback > 0) callbackDone.signalAll();
        }
    }

    /** A persistent event with a timeout gets its next deadline before its callback runs. */
    private void rearm(Event e, int what) {
        if (e.timeoutNanos < 0) return;
        long now = now();
        long from = (what & Event.TIMEOUT) != 0 ? e.deadline : now;
        long deadline = from + e.timeoutNanos;
        if (deadline < now) deadline = now + e.timeoutNanos;
        schedule(e, deadline, e.rearmTimeout);
    }

    /** {@code event_base_loopexit(base, NULL)}: stop after this round of callbacks. */
    public void loopExit() {
        loopExit(null);
    }

    /**
     * {@code event_base_loopexit}: stop after {@code delay} (null or zero: at once), once the
     * active callbacks of that iteration have run. The request is an event of its own, so it
     * keeps an otherwise empty loop running until it fires.
     */
    public void loopExit(Duration delay) {
        once(null, Event.TIMEOUT, delay, (e, what) -> {
            lock.lock();
            try {
                gotExit = true;
            } finally {
                lock.unlock();
            }
        });
    }

    /** {@code event_base_loopbreak}: stop right after the running callback. */
    public void loopBreak() {
        lock.lock();
        try {
            gotBreak = true;
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    /** {@code event_base_loopcontinue}: after the running callback, poll again at once. */
    public void loopContinue() {
        lock.lock();
        try {
            gotContinue = true;
        } finally {
            lock.unlock();
        }
    }

    /** {@code event_base_got_exit}: the last loop stopped because of {@link #loopExit}. */
    public boolean gotExit() {
        lock.lock();
        try {
            return gotExit;
        } finally {
            lock.unlock();
        }
    }

    /** {@code event_base_got_break}: the last loop stopped because of {@link #loopBreak}. */
    public boolean gotBreak() {
        lock.lock();
        try {
            return gotBreak;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calling thread is running this base's loop ({@code EVBASE_IN_THREAD}). */
    public boolean inLoopThread() {
        return owner == Thread.currentThread();
    }

    /**
     * {@code event_base_gettimeofday_cached} on the monotonic clock: nanoseconds, the value
     * cached at the start of this iteration when called from a callback, the clock otherwise.
     */
    public long now() {
        return timeCached && !config.noCacheTime() ? cachedNow : System.nanoTime();
    }

    /** {@code event_base_update_cache_time}: refreshes the cached time. */
    public void updateCacheTime() {
        lock.lock();
        try {
            if (running) cacheTime();
        } finally {
            lock.unlock();
        }
    }

    private void cacheTime() {
        cachedNow = System.nanoTime();
        timeCached = true;
    }

    /** The event whose callback is running now ({@code event_base_get_running_event}), or null. */
    public Event runningEvent() {
        lock.lock();
        try {
            return runningEvent;
        } finally {
            lock.unlock();
        }
    }

    /** {@code event_base_get_num_events(EVENT_BASE_COUNT_ADDED)}: events pending. */
    public int pendingEvents() {
        lock.lock();
        try {
            return pendingCount;
        } finally {
            lock.unlock();
        }
    }

    /** {@code event_base_get_num_events(EVENT_BASE_COUNT_ACTIVE)}: events active. */
    public int activeEvents() {
        lock.lock();
        try {
            return activeCount;
        } finally {
            lock.unlock();
        }
    }

    /** Number of distinct handles registered with the backend. */
    public int watchedHandles() {
        lock.lock();
        try {
            return io.size();
        } finally {
            lock.unlock();
        }
    }

    // ---- event bookkeeping (called by Event) ----

    void checkUsable(Event e) {
        if ((e.state & Event.S_CLOSED) != 0) {
            throw new IllegalStateException("use of a closed event: " + e, e.closedAt);
        }
        if (closed) throw new IllegalStateException("the event's base is closed: " + e);
    }

    void add(Event e, long timeoutNanos, CommonTimeout common) {
        lock.lock();
        try {
            checkUsable(e);
            if ((e.state & Event.S_FINALIZING) != 0) throw new IllegalStateException("event is being finalized: " + e);
            if ((e.events & (Event.READ | Event.WRITE | Event.CLOSED | Event.SIGNAL)) != 0
                    && (e.state & Event.S_INSERTED) == 0) {
                insert(e);
            }
            if (timeoutNanos >= 0) {
                // Re-adding an event that a timeout just activated withdraws that activation.
                if ((e.state & Event.S_ACTIVE) != 0 && (e.res & Event.TIMEOUT) != 0 && (e.events & Event.SIGNAL) == 0) {
                    deactivate(e);
                }
                e.timeoutNanos = timeoutNanos;
                e.rearmTimeout = common;
                schedule(e, now() + timeoutNanos, common);
            } else if ((e.state & Event.S_TIMEOUT) == 0) {
                e.timeoutNanos = -1;
                e.rearmTimeout = null;
            }
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    private void insert(Event e) {
        if ((e.events & Event.SIGNAL) != 0) {
            EventGroup group = signals[e.signo];
            if (group == null) group = signals[e.signo] = new EventGroup();
            if (group.count == 0) SignalHub.watch(e.signo, this);
            group.add(e);
        } else {
            IoSlot slot = io.obtain(e.handle);
            if (slot.count > 0 && ((slot.events[0].events ^ e.events) & Event.ET) != 0) {
                if (slot.count == 0) io.release(slot);
                throw new IllegalArgumentException("cannot mix edge-triggered and level-triggered events on " + e.handle);
            }
            slot.add(e);
            try {
                syncInterest(slot);
            } catch (RuntimeException ex) {
                slot.remove(e);
                if (slot.count == 0) io.release(slot);
                throw ex;
            }
        }
        markPending(e, Event.S_INSERTED);
    }

    /** Takes the event out of its descriptor's or signal's watch list. */
    private void removeInterest(Event e) {
        if ((e.state & Event.S_INSERTED) == 0) return;
        clearPending(e, Event.S_INSERTED);
        if ((e.events & Event.SIGNAL) != 0) {
            EventGroup group = signals[e.signo];
            group.remove(e);
            if (group.count == 0) SignalHub.unwatch(e.signo, this);
            return;
        }
        IoSlot slot = io.find(e.handle);
        slot.remove(e);
        try {
            syncInterest(slot);
        } finally {
            if (slot.count == 0) io.release(slot);
        }
    }

    private void syncInterest(IoSlot slot) {
        int want = slot.wantedInterest();
        if (want == slot.interest) return;
        try {
            backend.update(slot.handle, slot.token(), slot.interest, want);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot watch " + slot.handle + " with " + backend.name(), ex);
        }
        slot.interest = want;
    }

    private void schedule(Event e, long deadline, CommonTimeout common) {
        if ((e.state & Event.S_TIMEOUT) != 0) unschedule(e);
        e.deadline = deadline;
        if (common != null) common.insert(e);
        else timers.add(e);
        markPending(e, Event.S_TIMEOUT);
    }

    private void unschedule(Event e) {
        if ((e.state & Event.S_TIMEOUT) == 0) return;
        if (e.commonTimeout != null) e.commonTimeout.remove(e);
        else timers.remove(e);
        clearPending(e, Event.S_TIMEOUT);
    }

    /** Full removal of a non-persistent event before its callback: timer and interest. */
    private void unschedule(Event e, boolean andInterest) {
        unschedule(e);
        if (andInterest) removeInterest(e);
    }

    private void markPending(Event e, int bit) {
        if ((e.state & (Event.S_INSERTED | Event.S_TIMEOUT)) == 0 && (e.state & Event.S_INTERNAL) == 0) pendingCount++;
        e.state |= bit;
    }

    private void clearPending(Event e, int bit) {
        e.state &= ~bit;
        if ((e.state & (Event.S_INSERTED | Event.S_TIMEOUT)) == 0 && (e.state & Event.S_INTERNAL) == 0) pendingCount--;
    }

    void del(Event e, boolean wait) {
        lock.lock();
        try {
            if ((e.state & Event.S_CLOSED) != 0) return;
            unschedule(e, true);
            deactivate(e);
            if (wait && (e.events & Event.FINALIZE) == 0) awaitCallback(e);
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    /** Waits while another thread's loop runs {@code e}'s callback (never on the loop thread). */
    private void awaitCallback(Event e) {
        if (owner == Thread.currentThread()) return;
        waitingForCallback++;
        try {
            while (runningEvent == e) callbackDone.awaitUninterruptibly();
        } finally {
            waitingForCallback--;
        }
    }

    private void deactivate(Event e) {
        if ((e.state & Event.S_ACTIVE) == 0) return;
        active[e.priority].remove(e);
        activeCount--;
        e.state &= ~Event.S_ACTIVE;
        e.res = 0;
    }

    void removeTimer(Event e) {
        lock.lock();
        try {
            checkUsable(e);
            unschedule(e);
            e.timeoutNanos = -1;
            e.rearmTimeout = null;
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    void activate(Event e, int what, int calls) {
        lock.lock();
        try {
            checkUsable(e);
            if ((e.state & Event.S_FINALIZING) != 0) return;
            if ((e.state & Event.S_ACTIVE) != 0) {
                e.res |= what;
                if ((e.events & Event.SIGNAL) != 0) e.ncalls += calls;
                return;
            }
            e.res = what;
            e.ncalls = calls;
            e.state |= Event.S_ACTIVE;
            active[Math.min(e.priority, active.length - 1)].addLast(e);
            activeCount++;
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    int pending(Event e, int what) {
        lock.lock();
        try {
            if ((e.state & Event.S_CLOSED) != 0) return 0;
            int flags = 0;
            if ((e.state & Event.S_INSERTED) != 0) flags |= e.events & (Event.READ | Event.WRITE | Event.CLOSED | Event.SIGNAL);
            if ((e.state & Event.S_ACTIVE) != 0) flags |= e.res;
            if ((e.state & Event.S_TIMEOUT) != 0) flags |= Event.TIMEOUT;
            return flags & what & (Event.READ | Event.WRITE | Event.CLOSED | Event.SIGNAL | Event.TIMEOUT);
        } finally {
            lock.unlock();
        }
    }

    long remainingNanos(Event e) {
        lock.lock();
        try {
            if ((e.state & Event.S_TIMEOUT) == 0) return -1;
            return Math.max(0, e.deadline - now());
        } finally {
            lock.unlock();
        }
    }

    void finalizeEvent(Event e, Consumer<Event> finalizer, boolean close) {
        lock.lock();
        try {
            checkUsable(e);
            unschedule(e, true);
            deactivate(e);
            e.finalizer = close ? f -> {
                finalizer.accept(f);
                closeEvent(f);
            } : finalizer;
            e.state |= Event.S_FINALIZING;
            e.state |= Event.S_ACTIVE;
            active[Math.min(e.priority, active.length - 1)].addLast(e);
            activeCount++;
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    void closeEvent(Event e) {
        lock.lock();
        try {
            if ((e.state & Event.S_CLOSED) != 0) return;
            unschedule(e, true);
            deactivate(e);
            if ((e.events & Event.FINALIZE) == 0) awaitCallback(e);
            e.state |= Event.S_CLOSED;
            if (debugMode) e.closedAt = new Throwable("the event was closed here");
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes a loop blocked in another thread so it sees what changed. */
    private void notifyLoop() {
        if (running && owner != Thread.currentThread()) backend.wakeup();
    }

    /** Called on the JVM's signal thread by {@link SignalHub}. */
    void signalArrived(int signo) {
        caughtSignals.incrementAndGet(signo);
        signalsCaught = true;
        backend.wakeup();
    }

    private void queueSignals() {
        signalsCaught = false;
        for (int signo = 1; signo <= Signals.MAX; signo++) {
            int n = caughtSignals.getAndSet(signo, 0);
            EventGroup group = signals[signo];
            if (n == 0 || group == null) continue;
            for (int i = 0, c = group.count; i < c; i++) activate(group.events[i], Event.SIGNAL, n);
        }
    }

    /**
     * {@code event_base_active_by_fd}: activates every event on {@code handle} that watches
     * any of {@code what} (READ, WRITE, CLOSED), as if the backend had reported it.
     */
    public void activateByHandle(Pollable handle, int what) {
        lock.lock();
        try {
            IoSlot slot = io.find(handle);
            if (slot != null) activateSlot(slot, what);
        } finally {
            lock.unlock();
        }
    }

    /** {@code event_base_active_by_signal}: as if {@code signo} had arrived once. */
    public void activateBySignal(int signo) {
        lock.lock();
        try {
            EventGroup group = signo > 0 && signo <= Signals.MAX ? signals[signo] : null;
            if (group == null) return;
            for (int i = 0, c = group.count; i < c; i++) activate(group.events[i], Event.SIGNAL, 1);
        } finally {
            lock.unlock();
        }
    }

    // ---- inspection ----

    /**
     * {@code event_base_foreach_event}: calls {@code visitor} with every pending or active
     * event (not internal ones), each once. The visitor runs on a snapshot without the lock,
     * so it may add or delete events.
     */
    public void forEachEvent(Consumer<Event> visitor) {
        List<Event> snapshot = new ArrayList<>();
        lock.lock();
        try {
            collect(snapshot);
        } finally {
            lock.unlock();
        }
        snapshot.forEach(visitor);
    }

    private void collect(List<Event> out) {
        io.forEach(slot -> {
            for (int i = 0; i < slot.count; i++) out.add(slot.events[i]);
        });
        for (EventGroup g : signals) {
            if (g != null) for (int i = 0; i < g.count; i++) out.add(g.events[i]);
        }
        timers.forEach(e -> {
            if (e.ownerTimeout == null && (e.state & Event.S_INSERTED) == 0) out.add(e);
        });
        for (CommonTimeout ct : commonTimeouts.values()) {
            for (Event e = ct.queue.first(); e != null; e = ct.queue.next(e)) {
                if ((e.state & Event.S_INSERTED) == 0) out.add(e);
            }
        }
        for (EventList q : active) {
            for (Event e = q.first(); e != null; e = q.next(e)) {
                if ((e.state & (Event.S_INSERTED | Event.S_TIMEOUT)) == 0) out.add(e);
            }
        }
    }

    /** {@code event_base_dump_events}: one line per pending or active event. */
    public void dumpEvents(Appendable out) throws IOException {
        List<Event> events = new ArrayList<>();
        lock.lock();
        try {
            collect(events);
            out.append("Events of ").append(toString()).append(":\n");
            for (Event e : events) {
                out.append("  ").append(e.toString());
                if ((e.state & Event.S_INSERTED) != 0) out.append(" pending");
                if ((e.state & Event.S_TIMEOUT) != 0) {
                    out.append(" timeout in ").append(Duration.ofNanos(Math.max(0, e.deadline - now())).toString());
                }
                if ((e.state & Event.S_ACTIVE) != 0) out.append(" active ").append(flagNames(e.res));
                out.append(" priority ").append(Integer.toString(e.priority)).append('\n');
            }
        } finally {
            lock.unlock();
        }
    }

    static String flagNames(int flags) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"TIMEOUT", "READ", "WRITE", "SIGNAL", "PERSIST", "ET", "FINALIZE", "CLOSED"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) sb.append(sb.isEmpty() ? "" : "|").append(names[i]);
        }
        return sb.isEmpty() ? "0" : sb.toString();
    }

    /**
     * {@code event_base_free}: deletes every event (once events are dropped), releases the
     * backend and its descriptors. Handles registered by the user are not closed. Closing a
     * base whose loop runs on another thread is an error; from its own callback, the loop
     * stops after that callback and the base is closed when the call returns.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            if (running && owner != Thread.currentThread()) {
                throw new IllegalStateException("cannot close a base whose loop runs on " + owner.getName());
            }
            List<Event> all = new ArrayList<>();
            collect(all);
            for (Event e : all) {
                unschedule(e, true);
                deactivate(e);
            }
            for (CommonTimeout ct : commonTimeouts.values()) {
                Event e;
                while ((e = ct.queue.pollFirst()) != null) e.commonTimeout = null;
                if (ct.timer.heapIndex >= 0) timers.remove(ct.timer);
            }
            gotBreak = true;
            closed = true;
            backend.close();
        } finally {
            lock.unlock();
        }
    }

    /** True once {@link #close} ran. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "EventBase[" + backend.name() + "]";
    }
}
