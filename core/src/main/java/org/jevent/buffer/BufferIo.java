package org.jevent.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import org.jevent.net.Net;
import org.jevent.net.WritableStream;

/**
 * Per-thread scratch for {@link EvBuffer#readFrom} and {@link EvBuffer#writeTo}: the extent
 * lists handed to the socket layer and a channel view of a stream for file transfers, so
 * that neither call allocates. Kept per thread rather than per buffer because a gather list
 * of {@link Net#IOV_MAX} extents is too big to carry in every connection's buffers.
 */
final class BufferIo {
    private static final ThreadLocal<BufferIo> PER_THREAD = ThreadLocal.withInitial(BufferIo::new);

    final BufferVectors read = new BufferVectors(2);
    final BufferVectors write = new BufferVectors(Net.IOV_MAX);
    private final StreamChannel channel = new StreamChannel();

    static BufferIo get() {
        return PER_THREAD.get();
    }

    /**
     * {@code out} as the target of {@link java.nio.channels.FileChannel#transferTo}: a NIO
     * socket's own channel (the JDK then uses sendfile), else this thread's adapter.
     */
    WritableByteChannel channelOf(WritableStream out) {
        if (out.channel() instanceof WritableByteChannel c) {
            return c;
        }
        channel.target = out;
        return channel;
    }

    /** Forgets the adapter's target, so user objects are not kept reachable. */
    void release() {
        channel.target = null;
    }

    /** A {@link WritableStream} seen as a channel; non-blocking writes may be partial. */
    private static final class StreamChannel implements WritableByteChannel {
        WritableStream target;

        @Override
        public int write(ByteBuffer src) throws IOException {
            return target.write(src);
        }

        @Override
        public boolean isOpen() {
            return target.isOpen();
        }

        @Override
        public void close() {
            throw new UnsupportedOperationException("the stream is closed by its owner");
        }
    }
}
