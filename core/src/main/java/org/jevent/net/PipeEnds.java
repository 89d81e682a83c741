package org.jevent.net;

import java.io.IOException;

/**
 * The two ends of a pipe ({@code pipe2(O_NONBLOCK|O_CLOEXEC)} / {@link java.nio.channels.Pipe};
 * what libevent uses to wake a base when eventfd is missing). Bytes written to {@link #sink}
 * are read from {@link #source}.
 */
public record PipeEnds(ReadableStream source, WritableStream sink) implements AutoCloseable {

    /** Closes both ends; idempotent. */
    @Override
    public void close() throws IOException {
        try {
            source.close();
        } finally {
            sink.close();
        }
    }
}
