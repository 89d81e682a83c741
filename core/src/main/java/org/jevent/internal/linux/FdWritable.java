package org.jevent.internal.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import org.jevent.buffer.BufferVectors;
import org.jevent.net.WritableStream;

/** Every write form of {@link WritableStream} on a descriptor, through {@link FdIo}: written once for sockets and pipes. */
interface FdWritable extends WritableStream {
    /** The descriptor, checked to be still open. */
    int liveFd() throws ClosedChannelException;

    @Override default int write(ByteBuffer src) throws IOException { return FdIo.write(liveFd(), src); }
    @Override default long write(MemorySegment src, long offset, long length) throws IOException {
        return FdIo.write(liveFd(), src, offset, length);
    }
    @Override default long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return FdIo.write(liveFd(), srcs, offset, length);
    }
    @Override default long write(MemorySegment[] srcs, int offset, int length) throws IOException {
        return FdIo.write(liveFd(), srcs, offset, length);
    }
    @Override default long write(BufferVectors srcs) throws IOException { return FdIo.write(liveFd(), srcs); }
}
