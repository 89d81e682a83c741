package org.jevent.internal.nio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import org.jevent.buffer.BufferVectors;
import org.jevent.net.WritableStream;

/** Every write form of {@link WritableStream} on a NIO channel, through {@link ChannelIo}: written once for sockets and pipes. */
interface ChannelWritable extends WritableStream {
    GatheringByteChannel sink();

    @Override default int write(ByteBuffer src) throws IOException { return sink().write(src); }
    @Override default long write(MemorySegment src, long offset, long length) throws IOException {
        return ChannelIo.write(sink(), src, offset, length);
    }
    @Override default long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return ChannelIo.write(sink(), srcs, offset, length);
    }
    @Override default long write(MemorySegment[] srcs, int offset, int length) throws IOException {
        return ChannelIo.write(sink(), srcs, offset, length);
    }
    @Override default long write(BufferVectors srcs) throws IOException { return ChannelIo.write(sink(), srcs); }
}
