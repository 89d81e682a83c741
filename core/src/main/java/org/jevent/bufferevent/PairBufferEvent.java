package org.jevent.bufferevent;

import java.util.concurrent.locks.ReentrantLock;
import org.jevent.EventBase;

/**
 * One of two bufferevents joined in this process ({@code bufferevent_pair_new}): what one
 * writes to its output arrives in the other's input, moved by relinking segments (no copy),
 * as soon as the writer has {@link #WRITE} and the reader {@link #READ} enabled and the
 * reader's input is below its read high watermark (then as much as fits).
 *
 * <p>The callbacks a transfer causes always run deferred, from the loop (libevent advises
 * {@link #DEFER_CALLBACKS} for pairs): a transfer happens inside the writer's {@code add},
 * and two partners echoing to each other would otherwise recurse without end.
 *
 * <p>{@link #flush} moves data regardless of the high watermark; {@link FlushMode#FINISHED}
 * in {@link #WRITE} direction then gives the partner {@code EOF | READING}. Closing one
 * partner gives the other {@code EOF | READING}. With {@link #THREADSAFE} both share one lock.
 */
public final class PairBufferEvent extends BufferEvent {
    private PairBufferEvent partner;

    private PairBufferEvent(EventBase base, int options, ReentrantLock shared) {
        super(base, options, shared);
    }

    static PairBufferEvent create(EventBase base, int options) {
        PairBufferEvent a = new PairBufferEvent(base, options, null);
        PairBufferEvent b = new PairBufferEvent(base, options, a.lock);
        a.partner = b;
        b.partner = a;
        return a;
    }

    /** {@code bufferevent_pair_get_partner}: the other end, or null once either was closed. */
    public PairBufferEvent partner() {
        lock();
        try {
            return partner;
        } finally {
            unlock();
        }
    }

    @Override
    void startIo(int what) {
        PairBufferEvent p = partner;
        if (p == null) {
            return;
        }
        if ((what & READ) != 0 && talks(p, this)) {
            transfer(p, this, false);
        }
        if ((what & WRITE) != 0 && talks(this, p)) {
            transfer(this, p, false);
        }
    }

    @Override
    void stopIo(int what) {
        // nothing runs in the background: transfers happen on changes
    }

    @Override
    boolean flushIo(int iotype, FlushMode mode) {
        PairBufferEvent p = partner;
        if (p == null) {
            return false;
        }
        boolean moved = false;
        if ((iotype & READ) != 0) {
            moved = transfer(p, this, true);
        }
        if ((iotype & WRITE) != 0) {
            moved |= transfer(this, p, true);
            if (mode == FlushMode.FINISHED) {
                p.runEvent(EOF | READING, null, true);
            }
        }
        return moved;
    }

    @Override
    void detach() {
        PairBufferEvent p = partner;
        if (p != null) {
            partner = null;
            p.partner = null;
            p.runEvent(EOF | READING, null, true);
        }
    }

    @Override
    void release() {
        // no events or sockets of its own
    }

    @Override
    void outputGrew() {
        PairBufferEvent p = partner;
        if (p != null && talks(this, p)) {
            transfer(this, p, false);
        }
    }

    private static boolean talks(PairBufferEvent src, PairBufferEvent dst) {
        return src.canWrite() && dst.canRead();
    }

    /** Moves {@code src}'s output into {@code dst}'s input, up to dst's read high watermark. */
    private static boolean transfer(PairBufferEvent src, PairBufferEvent dst, boolean ignoreWatermark) {
        long n = src.output.length();
        if (!ignoreWatermark && dst.tuning.readHigh > 0) {
            n = Math.min(n, dst.tuning.readHigh - dst.input.length());
        }
        if (n <= 0) {
            return false;
        }
        if (n == src.output.length()) {
            dst.input.addBuffer(src.output);
        } else {
            src.output.removeBuffer(dst.input, n);
        }
        if (dst.input.length() >= dst.tuning.readLow) {
            dst.runRead(true);
        }
        if (src.output.length() <= src.tuning.writeLow) {
            src.runWrite(true);
        }
        return true;
    }
}
