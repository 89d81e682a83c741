package org.jevent.internal.nio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.jevent.buffer.BufferVectors;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import org.jevent.net.WritableStream;

/** The write end of a {@link Pipe}. */
final class NioPipeSink implements WritableStream {
    private final Pipe.SinkChannel channel;

    NioPipeSink(Pipe.SinkChannel channel) {
        this.channel = channel;
    }

    @Override public int fd() { return -1; }
    @Override public SelectableChannel channel() { return channel; }
    @Override public boolean isOpen() { return channel.isOpen(); }
    @Override public void close() throws IOException { channel.close(); }

    @Override public int write(ByteBuffer src) throws IOException { return channel.write(src); }
    @Override public long write(MemorySegment src, long offset, long length) throws IOException {
        return ChannelIo.write(channel, src, offset, length);
    }
    @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return ChannelIo.write(channel, srcs, offset, length);
    }
    @Override public long write(MemorySegment[] srcs, int offset, int length) throws IOException {
        return ChannelIo.write(channel, srcs, offset, length);
    }
    @Override public long write(BufferVectors srcs) throws IOException { return ChannelIo.write(channel, srcs); }
}
