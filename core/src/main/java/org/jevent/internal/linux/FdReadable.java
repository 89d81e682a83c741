package org.jevent.internal.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import org.jevent.buffer.BufferVectors;
import org.jevent.net.ReadableStream;

/** Every read form of {@link ReadableStream} on a descriptor, through {@link FdIo}: written once for sockets and pipes. */
interface FdReadable extends ReadableStream {
    /** The descriptor, checked to be still open. */
    int liveFd() throws ClosedChannelException;

    @Override default int read(ByteBuffer dst) throws IOException { return FdIo.read(liveFd(), dst); }
    @Override default long read(MemorySegment dst, long offset, long length) throws IOException {
        return FdIo.read(liveFd(), dst, offset, length);
    }
    @Override default long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return FdIo.read(liveFd(), dsts, offset, length);
    }
    @Override default long read(MemorySegment[] dsts, int offset, int length) throws IOException {
        return FdIo.read(liveFd(), dsts, offset, length);
    }
    @Override default long read(BufferVectors dsts) throws IOException { return FdIo.read(liveFd(), dsts); }
}
