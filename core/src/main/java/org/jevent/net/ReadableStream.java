package org.jevent.net;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.jevent.buffer.BufferVectors;

/**
 * The reading side of a byte stream: a stream socket or the read end of a pipe
 * ({@code read(2)} / {@code readv(2)}, what libevent's {@code evbuffer_read} calls).
 *
 * <p>All reads are non-blocking. Every method returns the number of bytes read, {@code 0}
 * when nothing is available now (EAGAIN: wait for readability), or {@code -1} at end of
 * stream (the peer shut down its output or closed). Reading into an empty destination
 * returns 0 without a system call. Other failures throw {@link ErrnoException} (native) or
 * the channel's {@link IOException} (NIO).
 */
public interface ReadableStream extends IoHandle {

    /**
     * Reads into {@code dst} between its position and limit, advancing its position.
     * Heap and direct buffers are both accepted.
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Reads at most {@code length} bytes into {@code dst} at {@code offset}; native or heap
     * memory. On NIO this goes through {@link MemorySegment#asByteBuffer()}, which allocates
     * a small buffer view per call.
     */
    long read(MemorySegment dst, long offset, long length) throws IOException;

    /**
     * Scattering read ({@code readv(2)}) into {@code dsts[offset .. offset+length)}, filling
     * each in turn and advancing positions. At most {@link Net#IOV_MAX} buffers are used per
     * call; the rest are left for the next call.
     */
    long read(ByteBuffer[] dsts, int offset, int length) throws IOException;

    /**
     * Scattering read into whole segments {@code dsts[offset .. offset+length)}, filling each
     * in turn; at most {@link Net#IOV_MAX} segments per call. On NIO each segment is viewed
     * through {@link MemorySegment#asByteBuffer()}, which allocates per call.
     */
    long read(MemorySegment[] dsts, int offset, int length) throws IOException;

    /**
     * Scattering read into the extents of {@code dsts}, filling each in turn (what
     * {@link org.jevent.buffer.EvBuffer#readFrom} reserves; libevent's {@code evbuffer_read}
     * readv). At most {@link Net#IOV_MAX} extents per call. Allocates nothing: native sockets
     * pass the extents' addresses to {@code readv(2)}; NIO reads into this thread's direct
     * staging buffer and copies out.
     */
    long read(BufferVectors dsts) throws IOException;
}
