package org.jevent.internal.nio;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;

/** The read end of a {@link Pipe}. */
final class NioPipeSource implements ChannelReadable {
    private final Pipe.SourceChannel channel;

    NioPipeSource(Pipe.SourceChannel channel) {
        this.channel = channel;
    }

    @Override public int fd() { return -1; }
    @Override public SelectableChannel channel() { return channel; }
    @Override public boolean isOpen() { return channel.isOpen(); }
    @Override public java.nio.channels.ScatteringByteChannel source() { return channel; }
    @Override public void close() throws IOException { channel.close(); }
}
