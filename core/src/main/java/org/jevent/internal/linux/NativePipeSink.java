package org.jevent.internal.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.jevent.buffer.BufferVectors;
import org.jevent.net.WritableStream;

/** The write end of a pipe(2). */
final class NativePipeSink extends FdHandle implements WritableStream {
    NativePipeSink(int fd) {
        super(fd);
    }

    @Override public int write(ByteBuffer src) throws IOException { return FdIo.write(liveFd(), src); }
    @Override public long write(MemorySegment src, long offset, long length) throws IOException {
        return FdIo.write(liveFd(), src, offset, length);
    }
    @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return FdIo.write(liveFd(), srcs, offset, length);
    }
    @Override public long write(MemorySegment[] srcs, int offset, int length) throws IOException {
        return FdIo.write(liveFd(), srcs, offset, length);
    }
    @Override public long write(BufferVectors srcs) throws IOException { return FdIo.write(liveFd(), srcs); }
}
