package org.jevent.internal.nio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.Objects;
import org.jevent.buffer.BufferVectors;
import org.jevent.net.Net;
import org.jevent.net.ReadableStream;
import org.jevent.net.WritableStream;

/**
 * Stream reads and writes on a non-blocking channel in the convention of
 * {@link ReadableStream} and {@link WritableStream}, which is the channels' own (bytes,
 * 0 = try later, -1 = end of stream). Memory segments are viewed through
 * {@link MemorySegment#asByteBuffer()}: one small buffer object per segment per call.
 * {@link BufferVectors} travel through a direct staging buffer per thread instead, so those
 * calls allocate nothing (at the price of one copy).
 */
final class ChannelIo {
    private ChannelIo() {}

    static long read(ScatteringByteChannel channel, MemorySegment dst, long offset, long length) throws IOException {
        return channel.read(dst.asSlice(offset, length).asByteBuffer());
    }

    static long read(ScatteringByteChannel channel, ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        return channel.read(dsts, offset, Math.min(length, Net.IOV_MAX));
    }

    static long read(ScatteringByteChannel channel, MemorySegment[] dsts, int offset, int length) throws IOException {
        return channel.read(views(dsts, offset, length));
    }

    static long write(GatheringByteChannel channel, MemorySegment src, long offset, long length) throws IOException {
        return channel.write(src.asSlice(offset, length).asByteBuffer());
    }

    static long write(GatheringByteChannel channel, ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        return channel.write(srcs, offset, Math.min(length, Net.IOV_MAX));
    }

    static long write(GatheringByteChannel channel, MemorySegment[] srcs, int offset, int length) throws IOException {
        return channel.write(views(srcs, offset, length));
    }

    /** Reads into this thread's staging buffer (up to the extents' total), then copies out in order. */
    static long read(ScatteringByteChannel channel, BufferVectors dsts) throws IOException {
        Staging st = Staging.PER_THREAD.get();
        long room = 0;
        for (int i = 0; i < dsts.count() && i < Net.IOV_MAX; i++) room += dsts.length(i);
        ByteBuffer buf = st.buffer.clear().limit((int) Math.min(room, Staging.SIZE));
        int n = channel.read(buf);
        long done = 0;
        for (int i = 0; done < n; i++) {
            long k = Math.min(dsts.length(i), n - done);
            MemorySegment.copy(st.segment, done, dsts.base(i), dsts.offset(i), k);
            done += k;
        }
        return n;
    }

    /** Copies the extents (as many as fit) into this thread's staging buffer and writes it. */
    static long write(GatheringByteChannel channel, BufferVectors srcs) throws IOException {
        Staging st = Staging.PER_THREAD.get();
        long filled = 0;
        for (int i = 0; i < srcs.count() && i < Net.IOV_MAX && filled < Staging.SIZE; i++) {
            long k = Math.min(srcs.length(i), Staging.SIZE - filled);
            MemorySegment.copy(srcs.base(i), srcs.offset(i), st.segment, filled, k);
            filled += k;
        }
        return channel.write(st.buffer.clear().limit((int) filled));
    }

    /** A direct buffer per thread and its segment view, for vectored I/O of {@link BufferVectors}. */
    private record Staging(ByteBuffer buffer, MemorySegment segment) {
        static final int SIZE = 64 * 1024;
        static final ThreadLocal<Staging> PER_THREAD = ThreadLocal.withInitial(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(SIZE);
            return new Staging(b, MemorySegment.ofBuffer(b));
        });
    }

    private static ByteBuffer[] views(MemorySegment[] segments, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, segments.length);
        ByteBuffer[] views = new ByteBuffer[Math.min(length, Net.IOV_MAX)];
        for (int i = 0; i < views.length; i++) views[i] = segments[offset + i].asByteBuffer();
        return views;
    }
}
