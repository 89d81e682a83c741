package org.jevent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jevent.internal.Backend;
import org.jevent.internal.Backends;
import org.jevent.internal.linux.FdBackends;
import org.jevent.net.Net;

/**
 * The reactor ({@code struct event_base}, libev's {@code struct ev_loop}): waits on an OS
 * demultiplexer and runs the callbacks of events whose descriptors became ready, whose
 * timeouts passed, whose signals arrived, or that were activated by hand. libevent's
 * {@link Event}s and libev's {@link Watcher}s (made by {@link #timer}, {@link #io},
 * {@link #idle}...) are served by this one loop and share its machinery.
 *
 * <h2>One iteration of the loop</h2>
 * <ol>
 *   <li>Stop if {@link #loopExit}, {@link #loopBreak} or {@link #breakLoop} asked to, or
 *       (unless {@link #NO_EXIT_ON_EMPTY}) when no referenced event or watcher is pending
 *       or active.</li>
 *   <li><b>Prepare</b>: call the {@link Prepare} watchers.</li>
 *   <li><b>Poll</b> the backend: do not block when callbacks are due, an idle watcher is
 *       active or with {@link #NONBLOCK}; otherwise block until the earliest timer or
 *       periodic is due, or forever when there is none (stretched by the
 *       {@linkplain #timeoutCollectInterval timeout collect interval}, preceded by the
 *       {@linkplain #ioCollectInterval io collect interval}). Queue the ready descriptors,
 *       caught signals and sent {@link Async}s.</li>
 *   <li><b>Time</b>: cache the monotonic time; a wall-clock change reschedules periodics.</li>
 *   <li><b>Timers</b>: queue the expired timers, then the due {@link Periodic}s.</li>
 *   <li><b>Idle</b>: queue {@link Idle} watchers if nothing as urgent is due.</li>
 *   <li><b>Check</b>: call the {@link Check} watchers.</li>
 *   <li><b>Pending</b>: run the due callbacks (or the {@linkplain #invokePendingHook hook}).</li>
 * </ol>
 *
 * <h2>Priorities</h2>
 * Levels 0 (most urgent) to {@link #priorities()} - 1; watchers' libev priorities -2..2 map
 * onto them ({@link Watcher#priority(int)}). The config's {@link PriorityMode} decides what
 * they mean. {@link PriorityMode#STRICT} (the default, libevent's lock-out): once a level's
 * callbacks have run, the loop polls again before it looks at less urgent levels, which may
 * starve; {@link EventBaseConfig.Builder#maxDispatchInterval} bounds how long the loop spends
 * in levels at or above a minimum priority. {@link PriorityMode#ORDERED} (libev): every due
 * callback runs in each iteration, most urgent level first.
 *
 * <h2>Threads</h2>
 * One thread runs a base's loop at a time, whichever calls {@link #loop} or {@link #run} (a
 * call from another thread fails; {@link #run} may nest on the loop thread). Every method,
 * of the base, its events and its watchers, is safe from any thread; changes from another
 * thread wake the loop at once. Callbacks run with no lock held.
 *
 * <h2>Time</h2>
 * Timers use the monotonic {@link System#nanoTime()} clock and never fire early. The loop
 * reads the clock once per iteration, after the poll, and {@link #now()} returns that cached
 * value on the loop thread (unless configured with {@code noCacheTime}); one more read, before
 * a poll that may sleep, measures a wait that a timer or periodic bounds.
 * {@link #wallNow()} is the same instant on the wall clock, which {@link Periodic}s follow;
 * the loop compares the wall clock with the monotonic one each iteration while periodics are
 * started, every half second otherwise (libev's interpolation).
 *
 * <h2>No fork</h2>
 * libev's {@code ev_fork} watchers and {@code ev_loop_fork}, and libevent's
 * {@code event_reinit}, have no counterpart: a JVM cannot fork (the child would lack every
 * thread but one); child processes are started with {@code ProcessBuilder} instead.
 */
public final class EventBase implements AutoCloseable {
    /** {@code EVLOOP_ONCE}: block for events, run one round of active callbacks, return. */
    public static final int ONCE = 0x01;
    /** {@code EVLOOP_NONBLOCK}: do not block; run what is ready now and return. */
    public static final int NONBLOCK = 0x02;
    /** {@code EVLOOP_NO_EXIT_ON_EMPTY}: keep running with no events, until exit or break. */
    public static final int NO_EXIT_ON_EMPTY = 0x04;

    /** {@code EVRUN_NOWAIT}: for {@link #run}: one iteration that does not block. */
    public static final int RUN_NOWAIT = 0x01;
    /** {@code EVRUN_ONCE}: for {@link #run}: one iteration that blocks until something happens. */
    public static final int RUN_ONCE = 0x02;

    /** {@code EVBREAK_CANCEL}: for {@link #breakLoop}: withdraw a break not yet acted on. */
    public static final int BREAK_CANCEL = 0;
    /** {@code EVBREAK_ONE}: for {@link #breakLoop}: the innermost {@link #run} returns. */
    public static final int BREAK_ONE = 1;
    /** {@code EVBREAK_ALL}: for {@link #breakLoop}: every nested {@link #run} returns. */
    public static final int BREAK_ALL = 2;

    /** Internal loop flag: return after one iteration (libev's run flags). */
    private static final int ONE_ITERATION = 0x100;
    /**
     * Internal loop flag: the first iteration runs even when nothing keeps the loop alive (then
     * without blocking), as {@code ev_run} checks for active watchers only at the end of an
     * iteration; {@code event_base_loop} checks first and returns 1 at once.
     */
    private static final int AT_LEAST_ONE = 0x200;
    /** libev's {@code MIN_TIMEJUMP}: a wall-clock change this large reschedules periodics. */
    private static final long TIME_JUMP_MILLIS = 1000;
    /**
     * libev's {@code MIN_TIMEJUMP * .5}: with no periodic started, the loop compares the wall
     * clock with the monotonic one only this often (it reads one clock per iteration).
     */
    private static final long WALL_CHECK_NANOS = TIME_JUMP_MILLIS * 1_000_000L / 2;
    /** libev's {@code MAX_BLOCKTIME}: with periodics, re-read the wall clock at least this often. */
    private static final long MAX_BLOCK_NANOS = 59_743_000_000L;

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
    private ActiveQueue[] active;
    private int activeCount;
    /** Non-internal, referenced events that are inserted, timed or watched: what keeps the loop alive. */
    private int pendingCount;
    /** Periodic watchers, ordered by wall-clock deadline (epoch nanoseconds in {@link Event#deadline}). */
    final TimerHeap periodics = new TimerHeap();
    /** Started watchers the loop visits itself, per kind, in start order. */
    final EventGroup prepares = new EventGroup(), checks = new EventGroup(), idles = new EventGroup(),
            asyncs = new EventGroup(), cleanups = new EventGroup();
    /** Every event with {@link Event#S_WATCHED}: the watchers {@link #close} stops. */
    private final EventGroup watched = new EventGroup();
    private volatile boolean asyncsSent;
    /** Reused snapshot of the prepare, check or cleanup watchers being run. */
    private Event[] snapshot = new Event[8];

    private final AtomicIntegerArray caughtSignals = new AtomicIntegerArray(Signals.MAX + 1);
    private volatile boolean signalsCaught;

    private Thread owner;
    private boolean running;
    private volatile boolean closed;
    private boolean gotExit, gotBreak, gotContinue, breakAll;
    private Event runningEvent;
    private int waitingForCallback;
    private boolean timeCached;
    private long cachedNow;

    private int depth;
    private long iteration;
    private int ranCallbacks;
    private long ioCollectNanos, timeoutCollectNanos;
    private long lastPollEnd;
    private long suspendedAt = -1;
    private long preparedTimeout = -1;
    private Consumer<EventBase> invokePendingHook;
    private Clock wallClock = Clock.systemUTC();
    /** Wall clock minus monotonic clock, in nanoseconds: {@code cachedNow + wallOffset} is ev_now. */
    private long wallOffset;
    /** Monotonic time of the last comparison of the wall clock with the monotonic clock. */
    private long wallCheckedAt;

    private EventBase(EventBaseConfig config, Backend backend) {
        this.config = config;
        this.backend = backend;
        this.active = newQueues(config.priorities());
        this.lastPollEnd = System.nanoTime();
        calibrateWall();
    }

    private static ActiveQueue[] newQueues(int n) {
        ActiveQueue[] queues = new ActiveQueue[n];
        for (int i = 0; i < n; i++) queues[i] = new ActiveQueue();
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

    // ---- libev watcher factories (each returns a stopped watcher: call start()) ----

    /**
     * {@code ev_timer_init}: a {@link Timer} that fires {@code after} a delay, then every
     * {@code repeat} unless that is zero.
     */
    public Timer timer(Duration after, Duration repeat, WatcherCallback<Timer> callback) {
        return new Timer(this, after.toNanos(), repeat.toNanos(), callback);
    }

    /** {@code ev_periodic_init(w, cb, at, 0, 0)}: a {@link Periodic} that fires once, at {@code at}. */
    public Periodic periodic(Instant at, WatcherCallback<Periodic> callback) {
        return new Periodic(this, Periodic.epochNanos(at), 0, null, callback);
    }

    /**
     * {@code ev_periodic_init(w, cb, offset, interval, 0)}: a {@link Periodic} that fires at
     * every {@code offset + k * interval} of the wall clock.
     */
    public Periodic periodic(Instant offset, Duration interval, WatcherCallback<Periodic> callback) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
        return new Periodic(this, Periodic.epochNanos(offset), interval.toNanos(), null, callback);
    }

    /** {@code ev_periodic_init(w, cb, 0, 0, reschedule_cb)}: a {@link Periodic} whose times a function gives. */
    public Periodic periodic(Periodic.Rescheduler rescheduler, WatcherCallback<Periodic> callback) {
        return new Periodic(this, 0, 0, Objects.requireNonNull(rescheduler), callback);
    }

    /** {@code ev_io_init}: an {@link Io} watcher for {@code events} ({@link Watcher#READ}, {@link Watcher#WRITE}). */
    public Io io(Pollable handle, int events, WatcherCallback<Io> callback) {
        return new Io(this, Objects.requireNonNull(handle), events, callback);
    }

    /** {@code ev_signal_init}: a {@link SignalWatcher} for {@code signo} (see {@link Signals}). */
    public SignalWatcher signal(int signo, WatcherCallback<SignalWatcher> callback) {
        return new SignalWatcher(this, signo, callback);
    }

    /** {@code ev_child_init} for a process started with {@code ProcessBuilder}: the exit status is known. */
    public ChildWatcher child(Process process, WatcherCallback<ChildWatcher> callback) {
        return new ChildWatcher(this, process, process.toHandle(), callback);
    }

    /**
     * {@code ev_child_init(w, cb, pid, trace)} for a process started with {@code ProcessBuilder}:
     * with {@code trace}, its stops and continues are reported too (Linux only: elsewhere
     * tracing throws {@link UnsupportedOperationException}); see {@link ChildWatcher}.
     */
    public ChildWatcher child(Process process, boolean trace, WatcherCallback<ChildWatcher> callback) {
        return new ChildWatcher(this, process, process.toHandle(), trace, callback);
    }

    /** {@code ev_child_init} for any process by handle: its exit is seen, its status is not. */
    public ChildWatcher child(ProcessHandle process, WatcherCallback<ChildWatcher> callback) {
        return new ChildWatcher(this, null, process, callback);
    }

    /** {@code ev_stat_init}: a {@link StatWatcher} that polls {@code path} every {@code interval} (at least 0.1 s). */
    public StatWatcher stat(Path path, Duration interval, WatcherCallback<StatWatcher> callback) {
        return new StatWatcher(this, path, interval, callback);
    }

    /** {@code ev_stat_init} with libev's default interval of 5 s. */
    public StatWatcher stat(Path path, WatcherCallback<StatWatcher> callback) {
        return stat(path, StatWatcher.DEFAULT_INTERVAL, callback);
    }

    /** {@code ev_idle_init}. */
    public Idle idle(WatcherCallback<Idle> callback) {
        return new Idle(this, callback);
    }

    /** {@code ev_prepare_init}; with {@code start()}, libevent 2.2's {@code evwatch_prepare_new}. */
    public Prepare prepare(WatcherCallback<Prepare> callback) {
        return new Prepare(this, callback);
    }

    /** {@code ev_check_init}; with {@code start()}, libevent 2.2's {@code evwatch_check_new}. */
    public Check check(WatcherCallback<Check> callback) {
        return new Check(this, callback);
    }

    /** {@code ev_async_init}. */
    public Async async(WatcherCallback<Async> callback) {
        return new Async(this, callback);
    }

    /** {@code ev_cleanup_init}. */
    public Cleanup cleanup(WatcherCallback<Cleanup> callback) {
        return new Cleanup(this, callback);
    }

    /** {@code ev_embed_init(w, cb, other)}: an {@link Embed} of {@code inner}, an epoll base. */
    public Embed embed(EventBase inner, WatcherCallback<Embed> callback) {
        return new Embed(this, inner, callback);
    }

    /** {@code ev_embed_init(w, 0, other)}: an {@link Embed} whose callback sweeps {@code inner}. */
    public Embed embed(EventBase inner) {
        return embed(inner, (w, revents) -> w.sweep());
    }

    /** Whether the backend watches raw descriptors (epoll, poll, select) rather than NIO channels. */
    boolean watchesDescriptors() {
        return FdBackends.NAMES.contains(backend.name());
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
        return enter(flags & (ONCE | NONBLOCK | NO_EXIT_ON_EMPTY), false);
    }

    /**
     * {@code ev_run}: with 0, runs until no referenced watcher or event is left or
     * {@link #breakLoop} is called. Whatever the flags, at least one iteration runs, as in
     * libev: with only unreferenced watchers ({@link Watcher#unref}) or none at all, one
     * iteration that does not block, so an unreferenced watcher that is due is still called.
     * With {@link #RUN_NOWAIT}, one iteration that does not
     * block; with {@link #RUN_ONCE}, one iteration that blocks until something happens (which
     * may be internal, so no callback need have run). Unlike {@link #loop}, a callback may call
     * it again on the loop thread (a nested run, see {@link #depth}).
     *
     * @return whether referenced watchers or events are still started ({@code ev_run}'s result)
     */
    public boolean run(int flags) {
        if ((flags & ~(RUN_NOWAIT | RUN_ONCE)) != 0) throw new IllegalArgumentException("unknown run flags " + flags);
        int loopFlags = AT_LEAST_ONE | (flags == 0 ? 0 : ONE_ITERATION | ((flags & RUN_NOWAIT) != 0 ? NONBLOCK : 0));
        enter(loopFlags, true);
        return pendingEvents() > 0;
    }

    private int enter(int flags, boolean nestable) {
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("event base is closed");
            boolean nested = running && owner == Thread.currentThread();
            if (running && !(nested && nestable)) {
                throw new IllegalStateException("the loop of this base is already running on " + owner.getName());
            }
            running = true;
            owner = Thread.currentThread();
            depth++;
            gotExit = gotBreak = false;
            try {
                return iterate(flags);
            } finally {
                if (--depth == 0) {
                    running = false;
                    owner = null;
                    timeCached = false;
                    breakAll = false;
                } else if (!breakAll) {
                    gotExit = gotBreak = false; // a break ends only the innermost run
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * One iteration after another, each in the phases of libev's {@code ev_run} (and libuv's
     * {@code uv_run}): prepare, poll, update the time, expire timers and periodics, queue
     * idle watchers, check, run the pending callbacks.
     */
    private int iterate(int loopFlags) {
        for (int flags = loopFlags;; flags = loopFlags & ~AT_LEAST_ONE) {
            gotContinue = false;
            timeCached = false;
            if (stopRequested()) return 0;
            if ((flags & NO_EXIT_ON_EMPTY) == 0 && pendingCount == 0 && activeCount == 0) {
                if ((flags & AT_LEAST_ONE) == 0) return 1;
                flags |= NONBLOCK; // nothing to wait for: one look; the next pass's check decides
            }
            iteration++;
            if (prepares.count > 0) {
                preparedTimeout = blockTime(flags);
                runWatchers(prepares, Watcher.PREPARE);
                if (stopRequested()) return 0;
            }
            pollBackend(blockTime(flags));
            updateTime(false);
            lastPollEnd = cachedNow;
            expireTimers();
            expirePeriodics();
            queueIdles();
            if (checks.count > 0) runWatchers(checks, Watcher.CHECK);
            if (activeCount > 0) {
                int ran = invokePendingPhase();
                if ((flags & ONE_ITERATION) != 0) return 0;
                if ((flags & ONCE) != 0 && activeCount == 0 && ran != 0) return 0;
            } else if ((flags & (NONBLOCK | ONE_ITERATION)) != 0) {
                return 0;
            }
        }
    }

    private boolean stopRequested() {
        return gotExit || gotBreak || breakAll;
    }

    /**
     * How long the poll may block: not at all when something is to run, until the earliest
     * timer or periodic otherwise (forever when there is none), but at least the timeout
     * collect interval. Only a wait bounded by a timer or periodic reads the clock (the loop
     * is about to sleep, so the read costs nothing that counts): measured from the time cached
     * after the previous poll, as libevent does, the wait would be too long by the time the
     * callbacks took.
     */
    private long blockTime(int flags) {
        if (activeCount > 0 || (flags & NONBLOCK) != 0 || signalsCaught || asyncsSent || idles.count > 0) return 0;
        long wait = -1;
        long now = timers.size() > 0 || periodics.size() > 0 ? System.nanoTime() : 0;
        if (timers.size() > 0) wait = Math.max(0, timers.peekDeadline() - now);
        if (periodics.size() > 0) {
            // Capped so that a wall-clock change made while blocked is noticed eventually.
            long untilPeriodic = Math.clamp(periodics.peekDeadline() - (now + wallOffset), 0, MAX_BLOCK_NANOS);
            wait = wait < 0 ? untilPeriodic : Math.min(wait, untilPeriodic);
        }
        if (wait >= 0 && wait < timeoutCollectNanos) wait = timeoutCollectNanos;
        return wait;
    }

    private void pollBackend(long timeoutNanos) {
        long collect = timeoutNanos == 0 ? 0 : ioCollectNanos;
        int ready;
        lock.unlock();
        try {
            if (collect > 0) timeoutNanos = collectIo(collect, timeoutNanos);
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
        if (asyncsSent) queueAsyncs();
    }

    /**
     * The io collect interval: sleeps (unlocked) until {@code collect} has passed since the
     * last poll, so that more I/O is gathered per iteration; returns what remains of the wait.
     */
    private long collectIo(long collect, long timeoutNanos) {
        long start = System.nanoTime();
        long sleep = collect - (start - lastPollEnd);
        if (timeoutNanos > 0) sleep = Math.min(sleep, timeoutNanos);
        if (sleep <= 0) return timeoutNanos;
        for (long left = sleep; left > 0; left = start + sleep - System.nanoTime()) LockSupport.parkNanos(left);
        return timeoutNanos < 0 ? -1 : Math.max(0, timeoutNanos - sleep);
    }

    private void activateSlot(IoSlot slot, int ready) {
        // Snapshot the count: activation does not change the slot, callbacks are not run here.
        for (int i = 0, n = slot.count; i < n; i++) {
            Event e = slot.event(i);
            int what = ready & e.events & (Event.READ | Event.WRITE | Event.CLOSED);
            if (what != 0) queue(e, what, 1);
        }
    }

    /**
     * Caches the monotonic time and checks the wall clock against it: a difference beyond
     * rounding means the wall clock was set, so the offset is measured again, and a jump of a
     * second or more reschedules the periodics (libev's {@code time_update}). Unless
     * {@code always}, the wall clock is read only while periodics are started or half a
     * second after the last check (libev's interpolation), so the loop reads one clock per
     * iteration.
     */
    private void updateTime(boolean always) {
        long mono = System.nanoTime();
        cachedNow = mono;
        timeCached = true;
        if (always || periodics.size() > 0 || mono - wallCheckedAt >= WALL_CHECK_NANOS) checkWallClock(mono);
    }

    private void checkWallClock(long mono) {
        wallCheckedAt = mono;
        long drift = wallClock.millis() - Math.floorDiv(mono + wallOffset, 1_000_000L);
        if (Math.abs(drift) > 1) {
            calibrateWall();
            if (Math.abs(drift) >= TIME_JUMP_MILLIS) reschedulePeriodics();
        }
    }

    /** Measures the wall-clock offset; the monotonic clock is read last, so ev_now never runs ahead. */
    private void calibrateWall() {
        Instant wall = wallClock.instant();
        long mono = System.nanoTime();
        wallOffset = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - mono;
        wallCheckedAt = mono;
    }

    private void expireTimers() {
        long now = now();
        // The heap's cached deadline decides, so an event that is not due is never touched.
        while (timers.size() > 0 && timers.peekDeadline() <= now) {
            Event e = timers.peek();
            CommonTimeout owner = e.ownerTimeout();
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
        queue(e, Event.TIMEOUT, 1);
    }

    /** Periodics whose wall-clock time came: the next time is set now, one-shots stop. */
    private void expirePeriodics() {
        long wall = wallNow();
        Event e;
        while ((e = periodics.peek()) != null && e.deadline <= wall) {
            Periodic p = (Periodic) e.watcher;
            if (p.repeats()) {
                e.deadline = p.nextTime(wall);
                periodics.reschedule(e);
            } else {
                stopPeriodic(e);
            }
            queue(e, Watcher.PERIODIC, 1);
        }
    }

    private void reschedulePeriodics() {
        long wall = wallNow();
        periodics.forEach(e -> e.deadline = ((Periodic) e.watcher).nextTime(wall));
        periodics.rebuild();
    }

    /**
     * Queues the idle watchers of the most urgent level that has any, unless something of
     * that level or a more urgent one is pending (libev's {@code idle_reify}).
     */
    private void queueIdles() {
        if (idles.count == 0) return;
        int level = active.length;
        for (int i = 0; i < idles.count; i++) level = Math.min(level, levelOf(idles.events[i]));
        for (int p = 0; p <= level; p++) {
            if (!active[p].isEmpty()) return;
        }
        for (int i = 0, n = idles.count; i < n; i++) {
            Event e = idles.events[i];
            if (levelOf(e) == level) queue(e, Watcher.IDLE, 1);
        }
    }

    private int levelOf(Event e) {
        return Math.min(e.priority, active.length - 1);
    }

    /**
     * Runs the callbacks of a kind of watchers the loop calls directly (prepare, check,
     * cleanup), most urgent level first, in start order within a level. Watchers stopped by an
     * earlier callback of the round are skipped.
     */
    private void runWatchers(EventGroup group, int revents) {
        int n = group.count;
        Event[] run;
        if (depth > 1) {
            run = new Event[n]; // a nested run must not overwrite the outer run's snapshot
        } else {
            if (snapshot.length < n) snapshot = new Event[n * 2];
            run = snapshot;
        }
        // Insertion sort by level: stable, so start order holds within a level.
        for (int i = 0; i < n; i++) {
            Event e = group.events[i];
            int j = i;
            for (; j > 0 && levelOf(run[j - 1]) > levelOf(e); j--) run[j] = run[j - 1];
            run[j] = e;
        }
        for (int i = 0; i < n; i++) {
            Event e = run[i];
            run[i] = null;
            if ((e.state & Event.S_WATCHED) != 0) runCallback(e, revents);
        }
    }

    /** Runs the pending callbacks, or the hook set by {@link #invokePendingHook}; returns how many ran. */
    private int invokePendingPhase() {
        ranCallbacks = 0;
        Consumer<EventBase> hook = invokePendingHook;
        if (hook == null) {
            runPending();
        } else {
            lock.unlock();
            try {
                hook.accept(this);
            } finally {
                lock.lock();
            }
        }
        return ranCallbacks;
    }

    private void runPending() {
        if (config.priorityMode() == PriorityMode.ORDERED) runAllLevels();
        else runActive();
    }

    /** {@link PriorityMode#ORDERED}: every level, most urgent first. */
    private void runAllLevels() {
        for (int p = 0; p < active.length && !gotBreak && !gotContinue; p++) {
            runQueue(active[p], Integer.MAX_VALUE, Long.MAX_VALUE);
        }
    }

    /** {@link PriorityMode#STRICT}: the most urgent non-empty level only; returns how many callbacks ran. */
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

    private int runQueue(ActiveQueue queue, int maxCallbacks, long end) {
        int ran = 0;
        Event e;
        while ((e = queue.pollFirst()) != null) {
            activeCount--;
            e.state &= ~Event.S_ACTIVE;
            int what = e.res, calls = (e.events & Event.SIGNAL) != 0 ? e.extras().signalCalls : 1;
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
            ranCallbacks++;
            if (gotBreak || gotContinue || ran >= maxCallbacks || (end != Long.MAX_VALUE && System.nanoTime() >= end)) {
                break;
            }
        }
        return ran;
    }

    private void runCallback(Event e, int what) {
        Event outer = runningEvent; // not null in a nested run
        runningEvent = e;
        lock.unlock();
        try {
            e.callback.onEvent(e, what);
        } finally {
            lock.lock();
            runningEvent = outer;
            if (waitingForCallback > 0) callbackDone.signalAll();
        }
    }

    private void runFinalizer(Event e) {
        Consumer<Event> f = e.extras.finalizer;
        e.extras.finalizer = null;
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
        schedule(e, deadline, e.rearmTimeout());
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

    /**
     * {@code ev_break}: {@link #BREAK_ONE} makes the innermost {@link #run} (or {@link #loop})
     * return after the running callback, {@link #BREAK_ALL} every nested one,
     * {@link #BREAK_CANCEL} withdraws a break that was not acted on yet. Outside a running
     * loop it has no lasting effect: each run starts without a break.
     */
    public void breakLoop(int how) {
        lock.lock();
        try {
            switch (how) {
                case BREAK_CANCEL -> gotBreak = breakAll = false;
                case BREAK_ONE -> gotBreak = true;
                case BREAK_ALL -> gotBreak = breakAll = true;
                default -> throw new IllegalArgumentException("unknown break " + how);
            }
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    /** {@code ev_iteration}: how many iterations the loop has started since the base was made. */
    public long iteration() {
        lock.lock();
        try {
            return iteration;
        } finally {
            lock.unlock();
        }
    }

    /** {@code ev_depth}: how many runs of this base are under way (nested runs count each). */
    public int depth() {
        lock.lock();
        try {
            return depth;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calling thread is running this base's loop ({@code EVBASE_IN_THREAD}). */
    public boolean inLoopThread() {
        return owner == Thread.currentThread();
    }

    /**
     * {@code event_base_gettimeofday_cached} on the monotonic clock: nanoseconds, in a callback
     * on the loop thread the value cached after this iteration's poll, the clock otherwise
     * (before the poll too, in {@link Prepare} callbacks). Timers ({@link Event#add(Duration)},
     * {@link Timer}) count from it, as libev's count from {@code ev_now}; another thread's
     * timers count from the clock, so they never fire early however long the loop blocks.
     */
    public long now() {
        return timeCached && owner == Thread.currentThread() && !config.noCacheTime() ? cachedNow : System.nanoTime();
    }

    /**
     * {@code ev_now}: the wall-clock time of {@link #now()}, in nanoseconds since the epoch;
     * what {@link Periodic} watchers are scheduled against.
     */
    public long wallNow() {
        return now() + wallOffset;
    }

    /** {@code ev_time}: the current wall-clock time in nanoseconds since the epoch, uncached. */
    public static long time() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * {@code event_base_update_cache_time} and {@code ev_now_update}: refreshes the cached
     * time, noticing a change of the wall clock as the loop does each iteration.
     */
    public void updateCacheTime() {
        lock.lock();
        try {
            if (running) updateTime(true);
        } finally {
            lock.unlock();
        }
    }

    /** The wall clock periodics follow; tests replace it to simulate the clock being set. */
    void wallClock(Clock clock) {
        lock.lock();
        try {
            wallClock = clock;
            calibrateWall();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code ev_suspend}: marks the start of a time the loop will not run (the process is
     * stopped, say). Call {@link #resume} after it; never while the loop runs.
     */
    public void suspend() {
        lock.lock();
        try {
            if (running) throw new IllegalStateException("cannot suspend a running loop");
            if (suspendedAt < 0) suspendedAt = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code ev_resume}: ends a {@link #suspend}. Timers are pushed back by the time spent
     * suspended, so it does not count against them; periodics are rescheduled against the
     * wall clock.
     */
    public void resume() {
        lock.lock();
        try {
            if (suspendedAt < 0) return;
            long pause = System.nanoTime() - suspendedAt;
            suspendedAt = -1;
            // Adding the same amount to every deadline keeps the heap and the queues in order.
            timers.forEach(e -> e.deadline += pause);
            for (CommonTimeout ct : commonTimeouts.values()) {
                for (Event e = ct.queue.first(); e != null; e = ct.queue.next(e)) e.deadline += pause;
            }
            updateTime(true);
            reschedulePeriodics();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code ev_set_io_collect_interval}: before each blocking poll, wait until this much time
     * has passed since the previous poll, so that more I/O is handled per iteration (fewer
     * wake-ups, more latency; changes from other threads wait too). Zero, the default, turns
     * it off.
     */
    public void ioCollectInterval(Duration interval) {
        long nanos = interval.toNanos();
        if (nanos < 0) throw new IllegalArgumentException("negative interval");
        lock.lock();
        try {
            ioCollectNanos = nanos;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code ev_set_timeout_collect_interval}: a poll that waits for a timer waits at least this
     * long, so that timers close together expire in one iteration (they may fire this much
     * late, never early). Zero, the default, turns it off.
     */
    public void timeoutCollectInterval(Duration interval) {
        long nanos = interval.toNanos();
        if (nanos < 0) throw new IllegalArgumentException("negative interval");
        lock.lock();
        try {
            timeoutCollectNanos = nanos;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code ev_set_invoke_pending_cb}: the loop calls {@code hook} instead of running the
     * pending callbacks itself, once per iteration that has some; the hook must call
     * {@link #invokePending} (perhaps from another thread, while it waits). Null restores the
     * default.
     */
    public void invokePendingHook(Consumer<EventBase> hook) {
        lock.lock();
        try {
            invokePendingHook = hook;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code ev_invoke_pending}: runs the pending (active) callbacks as the loop would: the most
     * urgent level in {@link PriorityMode#STRICT} mode, every level in {@link PriorityMode#ORDERED}.
     */
    public void invokePending() {
        lock.lock();
        try {
            runPending();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code evwatch_prepare_get_timeout}: how long the poll was going to block when the
     * prepare watchers of this iteration were called, or null for no limit. Meaningful inside
     * a {@link Prepare} callback; the loop computes the time again after them.
     */
    Duration preparedTimeout() {
        lock.lock();
        try {
            return preparedTimeout < 0 ? null : Duration.ofNanos(preparedTimeout);
        } finally {
            lock.unlock();
        }
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

    /**
     * {@code event_base_get_num_events(EVENT_BASE_COUNT_ADDED)}: events pending and watchers
     * started, except those that do not keep the loop alive ({@link Watcher#unref}).
     */
    public int pendingEvents() {
        lock.lock();
        try {
            return pendingCount;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code event_base_get_num_events(EVENT_BASE_COUNT_ACTIVE)}, libev's
     * {@code ev_pending_count}: events active (watchers pending), whose callbacks are to run.
     */
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

    // ---- watcher bookkeeping (called by Watcher and its kinds) ----

    /** The level of libev priority {@code p} (-2..2): 2 is level 0, -2 the last, 0 the middle. */
    int levelOfLibevPriority(int p) {
        return ((Watcher.MAX_PRIORITY - p) * (active.length - 1) + 2) / 4;
    }

    /** Whether the watcher is started: pending in libevent's sense, active in libev's. */
    boolean isStarted(Event e) {
        lock.lock();
        try {
            return (e.state & Event.S_PENDING) != 0;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the event is active in libevent's sense, pending in libev's: its callback is due. */
    boolean isActive(Event e) {
        lock.lock();
        try {
            return (e.state & Event.S_ACTIVE) != 0;
        } finally {
            lock.unlock();
        }
    }

    /** {@code ev_clear_pending}: the reasons the callback was due for, and it is not due any more. */
    int takePending(Event e) {
        lock.lock();
        try {
            int res = (e.state & Event.S_ACTIVE) != 0 ? e.res : 0;
            deactivate(e);
            return res;
        } finally {
            lock.unlock();
        }
    }

    /** {@code ev_ref} / {@code ev_unref} for one watcher: whether it keeps the loop alive. */
    void reference(Event e, boolean keepAlive) {
        lock.lock();
        try {
            boolean was = keepsAlive(e);
            if (keepAlive) e.state &= ~Event.S_UNREF;
            else e.state |= Event.S_UNREF;
            if ((e.state & Event.S_PENDING) != 0 && was != keepsAlive(e)) pendingCount += was ? -1 : 1;
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    /** Starts a watcher of a kind the loop visits itself (idle, prepare, async...). */
    void watch(Event e, EventGroup kind) {
        lock.lock();
        try {
            checkUsable(e);
            if ((e.state & Event.S_WATCHED) != 0) return;
            if (kind != null) kind.add(e);
            watched.add(e);
            markPending(e, Event.S_WATCHED);
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    /** Stops such a watcher and clears its pending callback. */
    void unwatch(Event e, EventGroup kind) {
        lock.lock();
        try {
            deactivate(e);
            if ((e.state & Event.S_WATCHED) == 0) return;
            if (kind != null) kind.remove(e);
            watched.remove(e);
            clearPending(e, Event.S_WATCHED);
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    /** {@code ev_timer_start}: due {@code after} from now, then every {@code repeat} (0: once). */
    void startTimer(Event e, long after, long repeat) {
        lock.lock();
        try {
            checkUsable(e);
            repeat(e, repeat);
            schedule(e, now() + after, null);
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets the period a timer is re-armed with when it fires (relative to its deadline, so
     * repeats do not drift); a timer without one stops when it fires.
     */
    void repeat(Event e, long repeat) {
        lock.lock();
        try {
            e.timeoutNanos = repeat > 0 ? repeat : -1;
            e.events = (short) (repeat > 0 ? Event.PERSIST : 0);
        } finally {
            lock.unlock();
        }
    }

    /** {@code ev_timer_again}: clears pending; restarts with {@code repeat} from now, or stops. */
    void timerAgain(Event e, long repeat) {
        lock.lock();
        try {
            checkUsable(e);
            deactivate(e);
            repeat(e, repeat);
            if (repeat > 0) schedule(e, now() + repeat, null);
            else unschedule(e);
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    /** {@code ev_periodic_start}: into the wall-clock heap at the periodic's next time. */
    void startPeriodic(Event e, Periodic p) {
        lock.lock();
        try {
            checkUsable(e);
            if ((e.state & Event.S_WATCHED) != 0) return;
            checkWallClock(System.nanoTime()); // the loop checks it only now and then without periodics
            e.deadline = p.nextTime(wallNow());
            watch(e, null);
            periodics.add(e);
        } finally {
            lock.unlock();
        }
    }

    void stopPeriodic(Event e) {
        lock.lock();
        try {
            if (TimerHeap.contains(e)) periodics.remove(e);
            unwatch(e, null);
        } finally {
            lock.unlock();
        }
    }

    /** Called by {@link Async#send} from any thread; never blocks, allocates nothing. */
    void asyncSent() {
        asyncsSent = true;
        if (!closed) backend.wakeup();
    }

    private void queueAsyncs() {
        asyncsSent = false;
        for (int i = 0, n = asyncs.count; i < n; i++) {
            Event e = asyncs.events[i];
            if (((Async) e.watcher).takeSent()) queue(e, Watcher.ASYNC, 1);
        }
    }

    /** The backend's pollable descriptor ({@code ev_backend_fd}), -1 when it has none. */
    int backendFd() {
        return backend.pollableFd();
    }

    // ---- event bookkeeping (called by Event) ----

    void checkUsable(Event e) {
        if ((e.state & Event.S_CLOSED) != 0) {
            throw new IllegalStateException("use of a closed event: " + e, e.extras == null ? null : e.extras.closedAt);
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
                e.rearmWith(common);
                schedule(e, now() + timeoutNanos, common);
            } else if ((e.state & Event.S_TIMEOUT) == 0) {
                e.timeoutNanos = -1;
                e.rearmWith(null);
            }
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    private void insert(Event e) {
        if ((e.events & Event.SIGNAL) != 0) {
            int signo = e.signo();
            EventGroup group = signals[signo];
            if (group == null) group = signals[signo] = new EventGroup();
            if (group.count == 0) SignalHub.watch(signo, this);
            group.add(e);
        } else {
            IoSlot slot = io.obtain(e.handle);
            if (slot.count > 0 && ((slot.event(0).events ^ e.events) & Event.ET) != 0) {
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
            int signo = e.signo();
            EventGroup group = signals[signo];
            group.remove(e);
            if (group.count == 0) SignalHub.unwatch(signo, this);
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
        CommonTimeout common = e.commonTimeout();
        if (common != null) common.remove(e);
        else timers.remove(e);
        clearPending(e, Event.S_TIMEOUT);
    }

    /** Full removal of a non-persistent event before its callback: timer and interest. */
    private void unschedule(Event e, boolean andInterest) {
        unschedule(e);
        if (andInterest) removeInterest(e);
    }

    private void markPending(Event e, int bit) {
        if ((e.state & Event.S_PENDING) == 0 && keepsAlive(e)) pendingCount++;
        e.state |= bit;
    }

    private void clearPending(Event e, int bit) {
        e.state &= ~bit;
        if ((e.state & Event.S_PENDING) == 0 && keepsAlive(e)) pendingCount--;
    }

    private static boolean keepsAlive(Event e) {
        return (e.state & (Event.S_INTERNAL | Event.S_UNREF)) == 0;
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
        active[levelOf(e)].remove(e);
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
            e.rearmWith(null);
            notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    void activate(Event e, int what, int calls) {
        lock.lock();
        try {
            checkUsable(e);
            if (queue(e, what, calls)) notifyLoop();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts a live event on its active queue, or adds {@code what} to its reasons when it is
     * there already; with the lock held, as the loop's own phases do. True when it was queued.
     */
    private boolean queue(Event e, int what, int calls) {
        if ((e.state & Event.S_FINALIZING) != 0) return false;
        if ((e.state & Event.S_ACTIVE) != 0) {
            e.res |= what;
            if ((e.events & Event.SIGNAL) != 0) e.extras().signalCalls += calls;
            return false;
        }
        e.res = what;
        if ((e.events & Event.SIGNAL) != 0) e.extras().signalCalls = calls;
        e.state |= Event.S_ACTIVE;
        active[levelOf(e)].addLast(e);
        activeCount++;
        return true;
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
            e.extras().finalizer = close ? f -> {
                finalizer.accept(f);
                closeEvent(f);
            } : finalizer;
            e.state |= Event.S_FINALIZING;
            e.state |= Event.S_ACTIVE;
            active[levelOf(e)].addLast(e);
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
            if (debugMode) e.extras().closedAt = new Throwable("the event was closed here");
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
            for (int i = 0, c = group.count; i < c; i++) queue(group.events[i], Event.SIGNAL, n);
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
            if (slot != null) {
                activateSlot(slot, what);
                notifyLoop();
            }
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
            for (int i = 0; i < slot.count; i++) out.add(slot.event(i));
        });
        for (EventGroup g : signals) {
            if (g != null) for (int i = 0; i < g.count; i++) out.add(g.events[i]);
        }
        timers.forEach(e -> {
            if (e.ownerTimeout() == null && (e.state & Event.S_INSERTED) == 0) out.add(e);
        });
        for (CommonTimeout ct : commonTimeouts.values()) {
            for (Event e = ct.queue.first(); e != null; e = ct.queue.next(e)) {
                if ((e.state & Event.S_INSERTED) == 0) out.add(e);
            }
        }
        for (int i = 0; i < watched.count; i++) out.add(watched.events[i]);
        for (ActiveQueue q : active) {
            q.forEach(e -> {
                if ((e.state & Event.S_PENDING) == 0) out.add(e);
            });
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
     * {@code event_base_free}, {@code ev_loop_destroy}: runs the {@link Cleanup} watchers,
     * stops every watcher, deletes every event (once events are dropped), releases the
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
            if (cleanups.count > 0) runWatchers(cleanups, Watcher.CLEANUP);
            // Stopping releases what watchers hold outside the base: threads, descriptors.
            while (watched.count > 0) watched.events[watched.count - 1].watcher.stop();
            List<Event> all = new ArrayList<>();
            collect(all);
            for (Event e : all) {
                unschedule(e, true);
                deactivate(e);
            }
            for (CommonTimeout ct : commonTimeouts.values()) {
                Event e;
                while ((e = ct.queue.pollFirst()) != null) e.extras.commonTimeout = null;
                if (TimerHeap.contains(ct.timer)) timers.remove(ct.timer);
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
