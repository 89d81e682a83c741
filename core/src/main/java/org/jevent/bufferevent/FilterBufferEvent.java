package org.jevent.bufferevent;

import java.io.IOException;
import org.jevent.buffer.EvBuffer;

/**
 * A bufferevent that transforms data on its way to and from another bufferevent
 * ({@code bufferevent_filter_new}): bytes the underlying bufferevent reads pass through the
 * input filter into this one's input; bytes written to this one's output pass through the
 * output filter into the underlying output. A null filter passes bytes unchanged (moved, not
 * copied).
 *
 * <p>The filter takes over the underlying bufferevent's callbacks and enables its reading and
 * writing; reading below is paused while this one's reading is disabled or its input is at
 * its read high watermark. Filters run repeatedly while they return {@link FilterResult#OK},
 * make progress and have room: this input's read high watermark bounds the input filter, the
 * underlying output's write high watermark bounds the output filter. A filter returning
 * {@link FilterResult#ERROR} disables its direction and reports {@code READING | ERROR} or
 * {@code WRITING | ERROR}. Events of the underlying bufferevent (EOF, errors, CONNECTED) are
 * passed on unchanged.
 *
 * <p>{@link #flush} runs the filters in {@code mode} (so they may emit what they hold back,
 * and without watermark limits), then flushes the underlying bufferevent the same way; so
 * {@link FlushMode#FINISHED} over a socket shuts its sending side once everything is out.
 * With {@link #CLOSE_ON_FREE}, closing the filter closes the underlying bufferevent; otherwise
 * it gets its callbacks cleared and reading resumed.
 */
public final class FilterBufferEvent extends BufferEvent {
    private final BufferEvent underlying;
    private final BufferFilter inputFilter;
    private final BufferFilter outputFilter;

    FilterBufferEvent(BufferEvent underlying, BufferFilter inputFilter, BufferFilter outputFilter, int options) {
        super(underlying.base, options, underlying.lock);
        this.underlying = underlying;
        this.inputFilter = inputFilter;
        this.outputFilter = outputFilter;
        underlying.suspendRead(SUSPEND_FILTER); // until this one's reading is enabled
        underlying.setCallbacks(this::underlyingRead, this::underlyingWritten, this::underlyingEvent);
        underlying.enable(READ | WRITE);
    }

    /** {@code bufferevent_get_underlying}. */
    public BufferEvent underlying() {
        return underlying;
    }

    @Override
    void startIo(int what) {
        if ((what & READ) != 0) {
            underlying.unsuspendRead(SUSPEND_FILTER);
            processInput(FlushMode.NORMAL);
        }
        if ((what & WRITE) != 0) {
            processOutput(FlushMode.NORMAL);
        }
    }

    @Override
    void stopIo(int what) {
        if ((what & READ) != 0) {
            underlying.suspendRead(SUSPEND_FILTER);
        }
    }

    @Override
    boolean flushIo(int iotype, FlushMode mode) {
        boolean moved = false;
        if ((iotype & READ) != 0) {
            moved = processInput(mode);
        }
        if ((iotype & WRITE) != 0) {
            moved |= processOutput(mode);
        }
        return underlying.flush(iotype, mode) | moved;
    }

    @Override
    void detach() {
        if ((options & CLOSE_ON_FREE) == 0 && !underlying.closed) {
            underlying.setCallbacks(null, null, null);
            underlying.unsuspendRead(SUSPEND_FILTER);
        }
    }

    @Override
    void release() {
        if ((options & CLOSE_ON_FREE) != 0) {
            underlying.close();
        }
    }

    @Override
    void outputGrew() {
        deferring++; // inside the user's add: callbacks later
        try {
            processOutput(FlushMode.NORMAL);
        } finally {
            deferring--;
        }
    }

    private void underlyingRead(BufferEvent below) {
        lock();
        enter();
        try {
            processInput(FlushMode.NORMAL);
        } finally {
            leave();
            unlock();
        }
    }

    private void underlyingWritten(BufferEvent below) {
        lock();
        enter();
        try {
            processOutput(FlushMode.NORMAL);
        } finally {
            leave();
            unlock();
        }
    }

    private void underlyingEvent(BufferEvent below, int events, IOException error) {
        lock();
        enter();
        try {
            runEvent(events, error, false);
        } finally {
            leave();
            unlock();
        }
    }

    /** Input filter from the underlying input into ours; returns whether anything moved. */
    private boolean processInput(FlushMode mode) {
        if (closed || (mode == FlushMode.NORMAL && !canRead())) {
            return false;
        }
        long before = input.length();
        long consumed = underlying.input.length();
        FilterResult r = pump(inputFilter, underlying.input, input, tuning.readHigh, mode);
        boolean moved = input.length() != before || underlying.input.length() != consumed;
        if (r == FilterResult.ERROR) {
            readStopped(ERROR, new IOException("the input filter failed"));
        } else if (input.length() > before && input.length() >= tuning.readLow) {
            runRead(false);
        }
        return moved;
    }

    /** Output filter from our output into the underlying output; returns whether anything moved. */
    private boolean processOutput(FlushMode mode) {
        if (closed || underlying.closed || (mode == FlushMode.NORMAL && !canWrite())) {
            return false;
        }
        long before = output.length();
        long produced = underlying.output.length();
        FilterResult r = pump(outputFilter, output, underlying.output, underlying.tuning.writeHigh, mode);
        boolean moved = output.length() != before || underlying.output.length() != produced;
        if (r == FilterResult.ERROR) {
            writeStopped(ERROR, new IOException("the output filter failed"));
        } else if (output.length() < before && output.length() <= tuning.writeLow) {
            runWrite(false);
        }
        return moved;
    }

    /**
     * Runs {@code filter} from {@code src} to {@code dst} while it returns OK, progresses and
     * {@code dst} is below {@code dstHigh} (0: unlimited; ignored when flushing). A flush
     * calls the filter at least once, even with nothing buffered.
     */
    private static FilterResult pump(BufferFilter filter, EvBuffer src, EvBuffer dst, long dstHigh, FlushMode mode) {
        FilterResult r = FilterResult.OK;
        boolean once = mode != FlushMode.NORMAL;
        while (src.length() > 0 || once) {
            once = false;
            long limit = -1;
            if (dstHigh > 0 && mode == FlushMode.NORMAL) {
                limit = dstHigh - dst.length();
                if (limit <= 0) {
                    break;
                }
            }
            long srcBefore = src.length();
            long dstBefore = dst.length();
            r = filter == null ? passThrough(src, dst, limit) : filter.filter(src, dst, limit, mode);
            if (r != FilterResult.OK || (src.length() == srcBefore && dst.length() == dstBefore)) {
                break;
            }
        }
        return r;
    }

    private static FilterResult passThrough(EvBuffer src, EvBuffer dst, long limit) {
        if (limit < 0 || limit >= src.length()) {
            dst.addBuffer(src);
        } else {
            src.removeBuffer(dst, limit);
        }
        return FilterResult.OK;
    }
}
