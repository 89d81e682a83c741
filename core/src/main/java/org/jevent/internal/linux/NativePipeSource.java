package org.jevent.internal.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.jevent.buffer.BufferVectors;
import org.jevent.net.ReadableStream;

/** The read end of a pipe(2). */
final class NativePipeSource extends FdHandle implements ReadableStream {
    NativePipeSource(int fd) {
        super(fd);
    }

    @Override public int read(ByteBuffer dst) throws IOException { return FdIo.read(liveFd(), dst); }
    @Override public long read(MemorySegment dst, long offset, long length) throws IOException {
        return FdIo.read(liveFd(), dst, offset, length);
    }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return FdIo.read(liveFd(), dsts, offset, length);
    }
    @Override public long read(MemorySegment[] dsts, int offset, int length) throws IOException {
        return FdIo.read(liveFd(), dsts, offset, length);
    }
    @Override public long read(BufferVectors dsts) throws IOException { return FdIo.read(liveFd(), dsts); }
}
