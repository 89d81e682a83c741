package org.jevent.internal.nio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ScatteringByteChannel;
import org.jevent.buffer.BufferVectors;
import org.jevent.net.ReadableStream;

/** Every read form of {@link ReadableStream} on a NIO channel, through {@link ChannelIo}: written once for sockets and pipes. */
interface ChannelReadable extends ReadableStream {
    ScatteringByteChannel source();

    @Override default int read(ByteBuffer dst) throws IOException { return source().read(dst); }
    @Override default long read(MemorySegment dst, long offset, long length) throws IOException {
        return ChannelIo.read(source(), dst, offset, length);
    }
    @Override default long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return ChannelIo.read(source(), dsts, offset, length);
    }
    @Override default long read(MemorySegment[] dsts, int offset, int length) throws IOException {
        return ChannelIo.read(source(), dsts, offset, length);
    }
    @Override default long read(BufferVectors dsts) throws IOException { return ChannelIo.read(source(), dsts); }
}
