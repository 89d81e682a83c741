package org.jevent.bufferevent;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.jevent.Event;
import org.jevent.EventBase;
import org.jevent.buffer.EvBuffer;
import org.jevent.buffer.SegmentPool;
import org.jevent.net.StreamSocket;

/**
 * A buffered transport ({@code struct bufferevent}): an input and an output {@link EvBuffer}
 * moved to and from something underneath (a socket, a partner in the same process, or
 * another bufferevent through filters), with callbacks when data arrived, when the output
 * drained, and when something happened ({@link #EOF}, {@link #ERROR}, {@link #TIMEOUT},
 * {@link #CONNECTED}).
 *
 * <h2>Kinds</h2>
 * {@link #socket} ({@code bufferevent_socket_new}, with {@link SocketBufferEvent#connect}
 * and {@link SocketBufferEvent#connectHostname}), {@link #pair} ({@code bufferevent_pair_new})
 * and {@link #filter} ({@code bufferevent_filter_new}).
 *
 * <h2>Enabling and watermarks</h2>
 * A new bufferevent has {@link #WRITE} enabled and {@link #READ} disabled, as in libevent.
 * Reading stops while the input holds at least the read high watermark and resumes when the
 * input drains below it; the read callback runs only when the input holds at least the read
 * low watermark; the write callback runs when a write leaves at most the write low watermark
 * in the output (0 by default: when it is empty). The write high watermark limits what a
 * filter puts into the bufferevent below it.
 *
 * <h2>Callbacks</h2>
 * Callbacks run on the loop thread. They run at once, from the I/O that caused them, unless
 * {@link #DEFER_CALLBACKS} is set or the bufferevent was driven from outside its own
 * callbacks (for example a write-through started by another bufferevent's callback, or a
 * pair transfer started by {@code add}): then they run from an internal event later in the
 * same loop round, coalesced (the read callback once, the event callback once with the
 * events or-ed together). A callback may {@link #close} its bufferevent.
 *
 * <h2>Threads</h2>
 * Without {@link #THREADSAFE} a bufferevent is used on its loop thread only (or before the
 * loop runs). With it, one lock guards the bufferevent and both its buffers, so other
 * threads may {@link #write} or change settings; callbacks then run holding that lock, unless
 * {@link #UNLOCK_CALLBACKS}.
 */
public abstract sealed class BufferEvent implements AutoCloseable
        permits SocketBufferEvent, PairBufferEvent, FilterBufferEvent {
    /** {@code BEV_EVENT_READING}: the event happened while reading. */
    public static final int READING = 0x01;
    /** {@code BEV_EVENT_WRITING}: the event happened while writing. */
    public static final int WRITING = 0x02;
    /** {@code BEV_EVENT_EOF}: end of stream. */
    public static final int EOF = 0x10;
    /** {@code BEV_EVENT_ERROR}: an unrecoverable error; the exception says which. */
    public static final int ERROR = 0x20;
    /** {@code BEV_EVENT_TIMEOUT}: the read or write timeout passed. */
    public static final int TIMEOUT = 0x40;
    /** {@code BEV_EVENT_CONNECTED}: a connect finished. */
    public static final int CONNECTED = 0x80;

    /** {@code EV_READ} for {@link #enable}, {@link #flush}, {@link #trigger}, {@link #setWatermark}. */
    public static final int READ = Event.READ;
    /** {@code EV_WRITE} for {@link #enable}, {@link #flush}, {@link #trigger}, {@link #setWatermark}. */
    public static final int WRITE = Event.WRITE;

    /** {@code BEV_OPT_CLOSE_ON_FREE}: {@link #close} closes the socket or underlying bufferevent. */
    public static final int CLOSE_ON_FREE = 1;
    /** {@code BEV_OPT_THREADSAFE}: a lock makes the bufferevent usable from several threads. */
    public static final int THREADSAFE = 2;
    /** {@code BEV_OPT_DEFER_CALLBACKS}; also a {@link #trigger} option ({@code BEV_TRIG_DEFER_CALLBACKS}). */
    public static final int DEFER_CALLBACKS = 4;
    /** {@code BEV_OPT_UNLOCK_CALLBACKS}: with {@link #THREADSAFE}, callbacks run without the lock. */
    public static final int UNLOCK_CALLBACKS = 8;
    /** {@code BEV_TRIG_IGNORE_WATERMARKS}: a {@link #trigger} option. */
    public static final int IGNORE_WATERMARKS = 0x10000;

    /**
     * Default most bytes one read or write moves ({@code bufferevent_set_max_single_read};
     * libevent uses 16 KiB). 64 KiB is the size of the pool's large segments, which a read
     * takes anyway, so reading less would only cost system calls.
     */
    public static final long DEFAULT_MAX_SINGLE = 64 * 1024;

    // Why reading or writing is held back although enabled (libevent's BEV_SUSPEND_*).
    static final int SUSPEND_WM = 1, SUSPEND_CONNECTING = 2, SUSPEND_LOOKUP = 4, SUSPEND_FILTER = 8;
    /** The bufferevent's own rate limit bucket is empty ({@code BEV_SUSPEND_BW}). */
    static final int SUSPEND_BW = 16;
    /** Its rate limit group's bucket is empty ({@code BEV_SUSPEND_BW_GROUP}). */
    static final int SUSPEND_BW_GROUP = 32;

    private static final int RUN_READ = DeferredCallbacks.READ, RUN_WRITE = DeferredCallbacks.WRITE,
            RUN_EVENT = DeferredCallbacks.EVENT;

    final EventBase base;
    /** The callback of our own events and the owner of our buffers. */
    final Hooks hooks = new Hooks(this);
    final EvBuffer input = new EvBuffer(SegmentPool.shared(), hooks);
    final EvBuffer output = new EvBuffer(SegmentPool.shared(), hooks);
    final int options;
    final ReentrantLock lock;
    private DeferredCallbacks deferred;

    private DataCallback readCb;
    private DataCallback writeCb;
    private StatusCallback eventCb;
    /** Shared defaults until a setter makes our own ({@link #ownTuning()}). */
    Tuning tuning = Tuning.DEFAULTS;
    // Bytes and shorts where the values fit: a few bytes less per connection.
    byte enabled = WRITE;
    byte readSuspended, writeSuspended;
    boolean closed;
    /** Depth of this bufferevent's own handlers and callbacks on the stack. */
    private short busy;
    /** While positive, callbacks are deferred: the caller is not inside a handler of ours. */
    short deferring;

    BufferEvent(EventBase base, int options, ReentrantLock shared) {
        this.base = base;
        this.options = options;
        this.lock = (options & THREADSAFE) == 0 ? null : shared != null ? shared : new ReentrantLock();
        if (lock != null) {
            input.enableLocking(lock);
            output.enableLocking(lock);
        }
    }

    // ---------------------------------------------------------------- factories

    /**
     * {@code bufferevent_socket_new}: a bufferevent over a connected {@code socket} made by
     * {@code base.net()}, or over none (null) until {@link SocketBufferEvent#connect}.
     */
    public static SocketBufferEvent socket(EventBase base, StreamSocket socket, int options) {
        return new SocketBufferEvent(base, socket, options);
    }

    /**
     * {@code bufferevent_socket_new} + {@code bufferevent_socket_connect}: a bufferevent that
     * connects to {@code remote}; {@link #CONNECTED} or {@link #ERROR} tells how it went.
     */
    public static SocketBufferEvent connect(EventBase base, SocketAddress remote, int options) {
        SocketBufferEvent bev = new SocketBufferEvent(base, null, options);
        bev.connect(remote);
        return bev;
    }

    /**
     * {@code bufferevent_pair_new}: two bufferevents joined in this process; what one writes
     * the other reads, moved without copying. Returns the first; {@link PairBufferEvent#partner()}
     * is the second.
     */
    public static PairBufferEvent pair(EventBase base, int options) {
        return PairBufferEvent.create(base, options);
    }

    /**
     * {@code bufferevent_filter_new}: a bufferevent over {@code underlying} whose data passes
     * through {@code inputFilter} on the way in and {@code outputFilter} on the way out
     * (null: unchanged). The filter takes over the underlying bufferevent's callbacks.
     */
    public static FilterBufferEvent filter(BufferEvent underlying, BufferFilter inputFilter,
                                           BufferFilter outputFilter, int options) {
        return new FilterBufferEvent(underlying, inputFilter, outputFilter, options);
    }

    // ---------------------------------------------------------------- accessors

    /** {@code bufferevent_get_base}. */
    public EventBase base() {
        return base;
    }

    /** {@code bufferevent_get_input}: where data read arrives; drain it in the read callback. */
    public EvBuffer getInput() {
        return input;
    }

    /** {@code bufferevent_get_output}: add data to it to send. */
    public EvBuffer getOutput() {
        return output;
    }

    /** {@code bufferevent_get_options}. */
    public int options() {
        return options;
    }

    /** {@code bufferevent_setcb}: any may be null. */
    public void setCallbacks(DataCallback read, DataCallback write, StatusCallback event) {
        lock();
        try {
            readCb = read;
            writeCb = write;
            eventCb = event;
        } finally {
            unlock();
        }
    }

    /** {@code bufferevent_getcb}: the read callback. */
    public DataCallback readCallback() {
        return readCb;
    }

    /** {@code bufferevent_getcb}: the write callback. */
    public DataCallback writeCallback() {
        return writeCb;
    }

    /** {@code bufferevent_getcb}: the event callback. */
    public StatusCallback eventCallback() {
        return eventCb;
    }

    // ---------------------------------------------------------------- data

    /** {@code bufferevent_write}: appends a copy of {@code data} to the output. */
    public void write(byte[] data) {
        output.add(data);
    }

    /** {@code bufferevent_write} of {@code data[off, off + len)}. */
    public void write(byte[] data, int off, int len) {
        output.add(data, off, len);
    }

    /** {@code bufferevent_write} of the remaining bytes of {@code data}. */
    public void write(ByteBuffer data) {
        output.add(data);
    }

    /** {@code bufferevent_write_buffer}: moves all of {@code src} to the output, without copying. */
    public void writeBuffer(EvBuffer src) {
        output.addBuffer(src);
    }

    /** {@code bufferevent_read}: removes up to {@code len} bytes of input into {@code dst}; returns the count. */
    public int read(byte[] dst, int off, int len) {
        return input.remove(dst, off, len);
    }

    /** {@code bufferevent_read_buffer}: moves all the input to the end of {@code dst}, without copying. */
    public void readBuffer(EvBuffer dst) {
        dst.addBuffer(input);
    }

    // ---------------------------------------------------------------- enabling

    /** {@code bufferevent_enable}: starts {@link #READ} and/or {@link #WRITE}. */
    public void enable(int what) {
        lock();
        try {
            checkOpen();
            int io = what & (READ | WRITE);
            enabled |= io;
            if (readSuspended != 0) {
                io &= ~READ;
            }
            if (writeSuspended != 0) {
                io &= ~WRITE;
            }
            if (io != 0) {
                startIo(io);
            }
        } finally {
            unlock();
        }
    }

    /** {@code bufferevent_disable}: stops {@link #READ} and/or {@link #WRITE}. */
    public void disable(int what) {
        lock();
        try {
            int io = what & (READ | WRITE);
            enabled &= ~io;
            if (io != 0 && !closed) {
                stopIo(io);
            }
        } finally {
            unlock();
        }
    }

    /** {@code bufferevent_get_enabled}: the enabled directions. */
    public int enabled() {
        lock();
        try {
            return enabled;
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- settings

    /**
     * {@code bufferevent_setwatermark}: sets the low and high watermark of {@link #READ}
     * and/or {@link #WRITE} ({@code high} 0: unlimited). Setting a read high watermark the
     * input already reaches pauses reading at once.
     */
    public void setWatermark(int what, long low, long high) {
        if (low < 0 || high < 0 || (high > 0 && low > high)) {
            throw new IllegalArgumentException("watermarks low " + low + ", high " + high);
        }
        lock();
        try {
            if ((what & WRITE) != 0) {
                Tuning t = ownTuning();
                t.writeLow = low;
                t.writeHigh = high;
            }
            if ((what & READ) != 0) {
                Tuning t = ownTuning();
                t.readLow = low;
                t.readHigh = high;
                if (high > 0 && input.length() >= high) {
                    suspendRead(SUSPEND_WM);
                } else {
                    unsuspendRead(SUSPEND_WM);
                }
            }
        } finally {
            unlock();
        }
    }

    /** {@code bufferevent_getwatermark}: the low watermark of {@link #READ} or {@link #WRITE}. */
    public long lowWatermark(int what) {
        return what == READ ? tuning.readLow : tuning.writeLow;
    }

    /** {@code bufferevent_getwatermark}: the high watermark of {@link #READ} or {@link #WRITE}. */
    public long highWatermark(int what) {
        return what == READ ? tuning.readHigh : tuning.writeHigh;
    }

    /**
     * {@code bufferevent_set_timeouts}: when reading (writing) is enabled and nothing could
     * be read (written) for this long, reading (writing) is disabled and the event callback
     * gets {@link #TIMEOUT} with {@link #READING} ({@link #WRITING}). A write timeout runs
     * only while output is waiting. Null: none. Only socket bufferevents time out.
     */
    public void setTimeouts(Duration read, Duration write) {
        lock();
        try {
            Tuning t = ownTuning();
            t.readTimeoutNanos = read == null ? -1 : read.toNanos();
            t.writeTimeoutNanos = write == null ? -1 : write.toNanos();
            if (!closed) {
                timeoutsChanged();
            }
        } finally {
            unlock();
        }
    }

    /** {@code bufferevent_set_max_single_read}: the most one read takes ({@link #DEFAULT_MAX_SINGLE}). */
    public void setMaxSingleRead(long bytes) {
        if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("max single read " + bytes);
        }
        lock();
        try {
            ownTuning().maxSingleRead = bytes;
            input.setMaxReadSize((int) bytes);
        } finally {
            unlock();
        }
    }

    /** {@code bufferevent_set_max_single_write}: the most one write sends ({@link #DEFAULT_MAX_SINGLE}). */
    public void setMaxSingleWrite(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("max single write " + bytes);
        }
        lock();
        try {
            ownTuning().maxSingleWrite = bytes;
        } finally {
            unlock();
        }
    }

    /** {@code bufferevent_get_max_single_read}. */
    public long maxSingleRead() {
        return tuning.maxSingleRead;
    }

    /** {@code bufferevent_get_max_single_write}. */
    public long maxSingleWrite() {
        return tuning.maxSingleWrite;
    }

    // ---------------------------------------------------------------- flush, trigger

    /**
     * {@code bufferevent_flush}: pushes buffered data in {@link #READ} and/or {@link #WRITE}
     * direction as hard as {@code mode} says; what that means depends on the kind (see each).
     * Returns true if data moved.
     */
    public boolean flush(int iotype, FlushMode mode) {
        lock();
        deferring++;
        try {
            checkOpen();
            return flushIo(iotype & (READ | WRITE), mode);
        } finally {
            deferring--;
            unlock();
        }
    }

    /**
     * {@code bufferevent_trigger}: runs the read and/or write callback as if data had been
     * read or written; the watermarks apply unless {@link #IGNORE_WATERMARKS}, and the
     * callbacks run later from the loop with {@link #DEFER_CALLBACKS}.
     */
    public void trigger(int iotype, int triggerOptions) {
        lock();
        try {
            boolean ignore = (triggerOptions & IGNORE_WATERMARKS) != 0;
            boolean defer = (triggerOptions & DEFER_CALLBACKS) != 0;
            if ((iotype & READ) != 0 && (ignore || input.length() >= tuning.readLow)) {
                runRead(defer);
            }
            if ((iotype & WRITE) != 0 && !closed && (ignore || output.length() <= tuning.writeLow)) {
                runWrite(defer);
            }
        } finally {
            unlock();
        }
    }

    /** {@code bufferevent_trigger_event}: runs the event callback with {@code events}. */
    public void triggerEvent(int events, int triggerOptions) {
        lock();
        try {
            runEvent(events, null, (triggerOptions & DEFER_CALLBACKS) != 0);
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- close

    /**
     * {@code bufferevent_free}: stops all I/O, drops pending callbacks, returns both
     * buffers' memory to the pool, and with {@link #CLOSE_ON_FREE} closes what is
     * underneath. May be called from a callback of this bufferevent. Idempotent.
     */
    @Override
    public void close() {
        Event runner;
        lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            detach();
            runner = deferred == null ? null : deferred.runner;
        } finally {
            unlock();
        }
        // Outside the lock: closing an event may wait for its callback, which takes the lock.
        if (runner != null) runner.close();
        release();
        input.close();
        output.close();
    }

    /** True once {@link #close} ran. */
    public boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- what each kind does

    /** Starts moving data in the directions {@code what} (enabled and not suspended). */
    abstract void startIo(int what);

    /** Stops moving data in the directions {@code what}. */
    abstract void stopIo(int what);

    /** {@link #flush} for this kind; {@code iotype} is READ and/or WRITE. */
    abstract boolean flushIo(int iotype, FlushMode mode);

    /** Under the lock, at {@link #close}: unlink from others. */
    abstract void detach();

    /** Outside the lock, at {@link #close}: close events and what CLOSE_ON_FREE owns. */
    abstract void release();

    /** The timeouts changed. */
    void timeoutsChanged() {}

    /** Called when the outermost handler of this bufferevent is about to return. */
    void idle() {}

    // ---------------------------------------------------------------- machinery for the kinds

    /** Our own settings, copied from the shared defaults the first time one is set. */
    final Tuning ownTuning() {
        if (tuning == Tuning.DEFAULTS) {
            tuning = Tuning.DEFAULTS.copy();
        }
        return tuning;
    }

    final void lock() {
        if (lock != null) {
            lock.lock();
        }
    }

    final void unlock() {
        if (lock != null) {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("bufferevent closed");
        }
    }

    /** A handler of ours starts: callbacks may run at once; output added now is flushed at the end. */
    final void enter() {
        busy++;
    }

    /** A handler of ours ends; the outermost one runs {@link #idle()} while still counted busy. */
    final void leave() {
        try {
            if (busy == 1 && !closed) {
                idle();
            }
        } finally {
            busy--;
        }
    }

    final boolean busy() {
        return busy > 0;
    }

    final void suspendRead(int reason) {
        boolean was = readSuspended != 0;
        readSuspended |= reason;
        if (!was && !closed) {
            stopIo(READ);
        }
    }

    final void unsuspendRead(int reason) {
        boolean was = readSuspended != 0;
        readSuspended &= ~reason;
        if (was && readSuspended == 0 && (enabled & READ) != 0 && !closed) {
            startIo(READ);
        }
    }

    final void suspendWrite(int reason) {
        boolean was = writeSuspended != 0;
        writeSuspended |= reason;
        if (!was && !closed) {
            stopIo(WRITE);
        }
    }

    final void unsuspendWrite(int reason) {
        boolean was = writeSuspended != 0;
        writeSuspended &= ~reason;
        if (was && writeSuspended == 0 && (enabled & WRITE) != 0 && !closed) {
            startIo(WRITE);
        }
    }

    final boolean canRead() {
        return (enabled & READ) != 0 && readSuspended == 0 && !closed;
    }

    final boolean canWrite() {
        return (enabled & WRITE) != 0 && writeSuspended == 0 && !closed;
    }

    /** One of our own events fired ({@link Hooks}); the kinds handle theirs, this the deferred callbacks' event. */
    void onEvent(Event e, int what) {
        runDeferred();
    }

    /** One of our buffers changed ({@link Hooks}), under its lock. */
    final void bufferChanged(EvBuffer buffer, long added) {
        if (buffer == input) {
            inputChanged();
        } else if (added > 0) {
            outputGrew();
        }
    }

    /** Data was added to the output. */
    abstract void outputGrew();

    /** The input changed: with a read high watermark, pause or resume reading. */
    private void inputChanged() {
        if (tuning.readHigh > 0 && !closed) {
            if (input.length() >= tuning.readHigh) {
                suspendRead(SUSPEND_WM);
            } else {
                unsuspendRead(SUSPEND_WM);
            }
        }
    }

    /** Reading failed or ended: reading is disabled and the event callback told. */
    final void readStopped(int events, IOException error) {
        enabled &= ~READ;
        stopIo(READ);
        runEvent(READING | events, error, false);
    }

    /** Writing failed or timed out: writing is disabled and the event callback told. */
    final void writeStopped(int events, IOException error) {
        enabled &= ~WRITE;
        stopIo(WRITE);
        runEvent(WRITING | events, error, false);
    }

    final void runRead(boolean defer) {
        if (readCb == null || closed) {
            return;
        }
        if (mustDefer(defer)) {
            schedule(RUN_READ, 0, null);
        } else {
            invoke(RUN_READ, 0, null);
        }
    }

    final void runWrite(boolean defer) {
        if (writeCb == null || closed) {
            return;
        }
        if (mustDefer(defer)) {
            schedule(RUN_WRITE, 0, null);
        } else {
            invoke(RUN_WRITE, 0, null);
        }
    }

    final void runEvent(int events, IOException error, boolean defer) {
        if (eventCb == null || closed) {
            return;
        }
        if (mustDefer(defer)) {
            schedule(RUN_EVENT, events, error);
        } else {
            invoke(RUN_EVENT, events, error);
        }
    }

    private boolean mustDefer(boolean asked) {
        return asked || deferring > 0 || (options & DEFER_CALLBACKS) != 0;
    }

    private void schedule(int run, int events, IOException error) {
        DeferredCallbacks d = deferred;
        if (d == null) d = deferred = new DeferredCallbacks(base.newTimer(hooks));
        d.due |= run;
        d.events |= events;
        if (error != null) {
            d.error = error;
        }
        d.runner.activate(Event.TIMEOUT);
    }

    /** The internal event: runs what was deferred, CONNECTED first, then read, write, other events. */
    private void runDeferred() {
        lock();
        enter();
        try {
            DeferredCallbacks d = deferred;
            int runs = d.due;
            int events = d.events;
            IOException error = d.error;
            d.due = d.events = 0;
            d.error = null;
            if ((events & CONNECTED) != 0) {
                invoke(RUN_EVENT, CONNECTED, null);
                events &= ~CONNECTED;
            }
            if ((runs & RUN_READ) != 0) {
                invoke(RUN_READ, 0, null);
            }
            if ((runs & RUN_WRITE) != 0) {
                invoke(RUN_WRITE, 0, null);
            }
            if (events != 0) {
                invoke(RUN_EVENT, events, error);
            }
        } finally {
            leave();
            unlock();
        }
    }

    /** Runs one user callback, counted busy, without the lock if {@link #UNLOCK_CALLBACKS}. */
    private void invoke(int run, int events, IOException error) {
        if (closed) {
            return;
        }
        int holds = lock != null && (options & UNLOCK_CALLBACKS) != 0 ? lock.getHoldCount() : 0;
        DataCallback read = readCb;
        DataCallback write = writeCb;
        StatusCallback event = eventCb;
        enter();
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        try {
            if (run == RUN_READ && read != null) {
                read.onData(this);
            } else if (run == RUN_WRITE && write != null) {
                write.onData(this);
            } else if (run == RUN_EVENT && event != null) {
                event.onEvent(this, events, error);
            }
        } finally {
            for (int i = 0; i < holds; i++) {
                lock.lock();
            }
            leave();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + base.method() + (closed ? ", closed]" : "]");
    }
}
