package org.jevent.internal.linux;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.jevent.net.ErrnoException;
import org.jevent.net.Net;

/**
 * Builds the iovec array of one readv/writev in this thread's {@link ThreadScratch}. Native
 * segments are pointed at directly; heap segments cannot be (the kernel keeps no pin on
 * them), so they travel through the staging area: copied in before a write, copied out after
 * a read. A call covers at most {@link Net#IOV_MAX} entries and as much heap memory as fits
 * in the staging area; the caller reports a partial transfer, which stream semantics allow.
 */
final class IoVectors {
    private final ThreadScratch scratch;
    private final ByteBuffer stagingView;
    private final Object[] stagedTargets = new Object[Net.IOV_MAX]; // heap ByteBuffers or MemorySegments
    private final long[] stagedStart = new long[Net.IOV_MAX]; // stream offset of the entry
    private final long[] stagedLength = new long[Net.IOV_MAX];
    private int count;
    private int staged;
    private long stagingUsed;
    private long total;

    private static final ThreadLocal<IoVectors> PER_THREAD = ThreadLocal.withInitial(IoVectors::new);

    private IoVectors() {
        scratch = ThreadScratch.get();
        stagingView = scratch.staging.asByteBuffer();
    }

    /** This thread's builder, emptied. */
    static IoVectors begin() {
        IoVectors v = PER_THREAD.get();
        v.count = 0;
        v.staged = 0;
        v.stagingUsed = 0;
        v.total = 0;
        return v;
    }

    /**
     * Adds {@code segment} as the next entry, copying heap memory into staging when
     * {@code forWrite}. Returns false when nothing more can be added to this call (the
     * segment may have been added in part).
     */
    boolean add(MemorySegment segment, boolean forWrite) {
        long size = segment.byteSize();
        if (segment.isNative() || size == 0) return entry(segment.address(), size, size);
        long length = stageable(size);
        if (forWrite) MemorySegment.copy(segment, 0, scratch.staging, stagingUsed, length);
        else stage(segment, length);
        return stagedEntry(length, size);
    }

    /** Like {@link #add(MemorySegment, boolean)} for the buffer's remaining bytes, without a segment view for heap buffers. */
    boolean add(ByteBuffer buffer, boolean forWrite) {
        int size = buffer.remaining();
        if (buffer.isDirect() || size == 0) {
            return entry(size == 0 ? 0 : MemorySegment.ofBuffer(buffer).address(), size, size);
        }
        int length = (int) stageable(size);
        if (forWrite) stagingView.put((int) stagingUsed, buffer, buffer.position(), length);
        else stage(buffer, length);
        return stagedEntry(length, size);
    }

    /** Adds native memory by address (an extent of an EvBuffer); false when the call is full. */
    boolean add(long address, long length) {
        return entry(address, length, length);
    }

    private long stageable(long size) {
        return count == Net.IOV_MAX ? 0 : Math.min(size, ThreadScratch.STAGING - stagingUsed);
    }

    private void stage(Object target, long length) {
        if (length == 0) return;
        stagedTargets[staged] = target;
        stagedStart[staged] = total;
        stagedLength[staged] = length;
        staged++;
    }

    private boolean stagedEntry(long length, long size) {
        boolean more = entry(scratch.staging.address() + stagingUsed, length, size);
        stagingUsed += length;
        return more;
    }

    /** Appends an iovec of {@code length} of an item of {@code size} bytes; false when the call is full. */
    private boolean entry(long address, long length, long size) {
        if (count == Net.IOV_MAX) return false;
        if (length == 0) return size == 0 && count < Net.IOV_MAX;
        long at = count * ThreadScratch.IOVEC;
        scratch.iov.set(Syscall.LONG, at, address);
        scratch.iov.set(Syscall.LONG, at + 8, length);
        count++;
        total += length;
        return length == size && count < Net.IOV_MAX;
    }

    /** Bytes the entries added so far can carry. */
    long capacity() {
        return total;
    }

    /** writev(2) of the entries (write(2) of a single one): bytes written, -1 to try later. */
    long write(int fd) throws ErrnoException {
        long n;
        do {
            n = count == 1
                    ? SocketCalls.write(fd, entryAddress(), total)
                    : SocketCalls.writev(fd, scratch.iov, count);
        } while (n < 0 && SocketCalls.interrupted());
        return n;
    }

    /** readv(2) (read(2) for a single entry) into the entries, then copies staged bytes to their heap segments. */
    long read(int fd) throws ErrnoException {
        long n;
        do {
            n = count == 1
                    ? SocketCalls.read(fd, entryAddress(), total)
                    : SocketCalls.readv(fd, scratch.iov, count);
        } while (n < 0 && SocketCalls.interrupted());
        long staging = 0;
        for (int i = 0; i < staged; i++) {
            long got = Math.min(Math.max(n - stagedStart[i], 0), stagedLength[i]);
            if (got > 0) copyOut(stagedTargets[i], staging, (int) got);
            staging += stagedLength[i];
            stagedTargets[i] = null; // do not keep user memory reachable
        }
        return n;
    }

    /** The first entry's address (its length is {@link #total} when it is the only one). */
    private long entryAddress() {
        return scratch.iov.get(Syscall.LONG, 0);
    }

    private void copyOut(Object target, long from, int length) {
        if (target instanceof ByteBuffer buffer) buffer.put(buffer.position(), stagingView, (int) from, length);
        else MemorySegment.copy(scratch.staging, from, (MemorySegment) target, 0, length);
    }
}
