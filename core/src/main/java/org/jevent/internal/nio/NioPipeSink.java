package org.jevent.internal.nio;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;

/** The write end of a {@link Pipe}. */
final class NioPipeSink implements ChannelWritable {
    private final Pipe.SinkChannel channel;

    NioPipeSink(Pipe.SinkChannel channel) {
        this.channel = channel;
    }

    @Override public int fd() { return -1; }
    @Override public SelectableChannel channel() { return channel; }
    @Override public boolean isOpen() { return channel.isOpen(); }
    @Override public java.nio.channels.GatheringByteChannel sink() { return channel; }
    @Override public void close() throws IOException { channel.close(); }
}
