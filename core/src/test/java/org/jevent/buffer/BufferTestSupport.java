package org.jevent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A private pool with tiny size classes (64 / 1024 bytes) so data spans many segments, and
 * the leak check every test ends with: after closing its buffers, no segment is in use.
 */
abstract class BufferTestSupport {
    static final int SMALL = 64;
    static final int LARGE = 1024;

    SegmentPool pool;
    private final List<EvBuffer> buffers = new ArrayList<>();

    @BeforeEach
    void createPool() {
        pool = new SegmentPool(SMALL, LARGE);
    }

    @AfterEach
    void checkNothingLeaked() {
        buffers.forEach(EvBuffer::close);
        assertThat(pool.inUse()).as("segments in use after closing every buffer").isZero();
        pool.close();
    }

    EvBuffer buffer() {
        EvBuffer b = new EvBuffer(pool);
        buffers.add(b);
        return b;
    }

    EvBuffer buffer(String content) {
        EvBuffer b = buffer();
        b.add(bytes(content));
        return b;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The whole content, not drained. */
    static String contents(EvBuffer b) {
        byte[] all = new byte[(int) b.length()];
        assertThat(b.copyout(all, 0, all.length)).isEqualTo(all.length);
        return new String(all, StandardCharsets.ISO_8859_1);
    }

    /** {@code n} bytes of a recognisable pattern. */
    static byte[] pattern(int n, int seed) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) ('a' + (i * 7 + seed) % 26);
        }
        return data;
    }

    /** Builds a buffer whose chunks are exactly {@code parts} (each moved in whole). */
    EvBuffer chained(String... parts) {
        EvBuffer b = buffer();
        for (String part : parts) {
            EvBuffer piece = buffer(part);
            b.addBuffer(piece);
        }
        return b;
    }
}
