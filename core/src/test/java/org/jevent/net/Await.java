package org.jevent.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a non-blocking socket operation by retrying it every millisecond until it
 * makes progress or 5 s pass. The event loop is not used here, so this polling stands in for
 * readiness notification; it is the only place the tests wait.
 */
final class Await {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    @FunctionalInterface
    interface Attempt<T> {
        /** The result, or {@code null} when the operation would block. */
        T attempt() throws IOException;
    }

    private Await() {}

    /** Retries {@code attempt} until it returns non-null; its exceptions pass through. */
    static <T> T result(Attempt<T> attempt) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            T result = attempt.attempt();
            if (result != null) return result;
            if (System.nanoTime() - deadline > 0) throw new AssertionError("no progress within 5 s");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Reads until {@code dst} is full; end of stream first is a failure. */
    static void readFully(ReadableStream in, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            int n = result(() -> {
                int r = in.read(dst);
                return r == 0 ? null : r;
            });
            if (n < 0) throw new AssertionError("end of stream with " + dst.remaining() + " bytes missing");
        }
    }

    /** Writes all of {@code src}. */
    static void writeFully(WritableStream out, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            result(() -> {
                int w = out.write(src);
                return w == 0 ? null : w;
            });
        }
    }

    /** Waits for end of stream; data arriving first is a failure. */
    static void endOfStream(ReadableStream in) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        int n = result(() -> {
            int r = in.read(one);
            return r == 0 ? null : r;
        });
        if (n != -1) throw new AssertionError("expected end of stream, read " + n + " bytes");
    }
}
