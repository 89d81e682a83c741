package org.jevent.internal.nio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.jevent.buffer.BufferVectors;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import org.jevent.net.ReadableStream;

/** The read end of a {@link Pipe}. */
final class NioPipeSource implements ReadableStream {
    private final Pipe.SourceChannel channel;

    NioPipeSource(Pipe.SourceChannel channel) {
        this.channel = channel;
    }

    @Override public int fd() { return -1; }
    @Override public SelectableChannel channel() { return channel; }
    @Override public boolean isOpen() { return channel.isOpen(); }
    @Override public void close() throws IOException { channel.close(); }

    @Override public int read(ByteBuffer dst) throws IOException { return channel.read(dst); }
    @Override public long read(MemorySegment dst, long offset, long length) throws IOException {
        return ChannelIo.read(channel, dst, offset, length);
    }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return ChannelIo.read(channel, dsts, offset, length);
    }
    @Override public long read(MemorySegment[] dsts, int offset, int length) throws IOException {
        return ChannelIo.read(channel, dsts, offset, length);
    }
    @Override public long read(BufferVectors dsts) throws IOException { return ChannelIo.read(channel, dsts); }
}
