package org.jevent.internal.nio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.Objects;
import org.jevent.net.Net;
import org.jevent.net.ReadableStream;
import org.jevent.net.WritableStream;

/**
 * Stream reads and writes on a non-blocking channel in the convention of
 * {@link ReadableStream} and {@link WritableStream}, which is the channels' own (bytes,
 * 0 = try later, -1 = end of stream). Memory segments are viewed through
 * {@link MemorySegment#asByteBuffer()}: one small buffer object per segment per call.
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

    private static ByteBuffer[] views(MemorySegment[] segments, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, segments.length);
        ByteBuffer[] views = new ByteBuffer[Math.min(length, Net.IOV_MAX)];
        for (int i = 0; i < views.length; i++) views[i] = segments[offset + i].asByteBuffer();
        return views;
    }
}
