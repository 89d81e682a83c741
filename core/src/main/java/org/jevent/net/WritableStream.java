package org.jevent.net;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.jevent.buffer.BufferVectors;

/**
 * The writing side of a byte stream: a stream socket or the write end of a pipe
 * ({@code write(2)} / {@code writev(2)}, what libevent's {@code evbuffer_write} calls).
 *
 * <p>All writes are non-blocking and may be partial. Every method returns the number of
 * bytes written, or {@code 0} when the kernel buffer is full now (EAGAIN: wait for
 * writability). Writing to a stream whose reader is gone throws {@link ErrnoException}
 * {@code EPIPE} or {@code ECONNRESET} (native) or the channel's {@link IOException} (NIO).
 */
public interface WritableStream extends IoHandle {

    /** Writes from {@code src} between its position and limit, advancing its position. */
    int write(ByteBuffer src) throws IOException;

    /**
     * Writes at most {@code length} bytes of {@code src} from {@code offset}; native or heap
     * memory. On NIO this goes through {@link MemorySegment#asByteBuffer()}, which allocates
     * a small buffer view per call.
     */
    long write(MemorySegment src, long offset, long length) throws IOException;

    /**
     * Gathering write ({@code writev(2)}) of {@code srcs[offset .. offset+length)}, advancing
     * positions. At most {@link Net#IOV_MAX} buffers are written per call.
     */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /**
     * Gathering write of whole segments {@code srcs[offset .. offset+length)}; returns the
     * total written, which may end inside a segment. At most {@link Net#IOV_MAX} segments
     * per call. On NIO each segment is viewed through {@link MemorySegment#asByteBuffer()},
     * which allocates per call.
     */
    long write(MemorySegment[] srcs, int offset, int length) throws IOException;

    /**
     * Gathering write of the extents of {@code srcs} (what
     * {@link org.jevent.buffer.EvBuffer#writeTo} gathers; libevent's {@code evbuffer_write}
     * writev). At most {@link Net#IOV_MAX} extents per call. Allocates nothing: native
     * sockets pass the extents' addresses to {@code writev(2)}; NIO copies them into this
     * thread's direct staging buffer first.
     */
    long write(BufferVectors srcs) throws IOException;
}
