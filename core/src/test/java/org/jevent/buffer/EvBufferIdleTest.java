package org.jevent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import org.jevent.Allocation;
import org.jevent.net.Net;
import org.jevent.net.PipeEnds;
import org.jevent.net.ReadableStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An idle buffer (drained, or whose read found nothing) holds no segment and no chain node:
 * a pooled segment takes the node that held it back to the pool, and the next owner of the
 * segment uses that node, so neither holding nor reusing costs an object per buffer.
 */
class EvBufferIdleTest extends BufferTestSupport {
    private static final int BUFFERS = 1_000;
    private static final int ROUNDS = 20_000;

    @Test
    void drainedBuffersLeaveTheirNodeWithTheSegment() {
        byte[] data = pattern(SMALL / 2, 0);
        fillAndDrainEach(buffers(BUFFERS), data); // warm-up: the segment gets its node, code is compiled
        EvBuffer[] fresh = buffers(BUFFERS);
        // Had each drained buffer kept its node, every fresh buffer would need a new one.
        assertThat(Allocation.bytes(() -> fillAndDrainEach(fresh, data)))
                .as("bytes allocated by %d fresh buffers filled and drained in turn", BUFFERS)
                .isLessThan(BUFFERS);
        assertThat(pool.inUse()).as("segments held by drained buffers").isZero();
    }

    @Test
    void sharedSegmentsPassNodesBetweenTheirBuffers() {
        EvBuffer src = buffer();
        EvBuffer dst = buffer();
        byte[] data = pattern(SMALL / 2, 1);
        Runnable cutAndDrain = () -> {
            src.add(data);
            src.removeBuffer(dst, 10); // a cut: both buffers share the segment
            dst.drain(10);
            src.drain(src.length());
        };
        assertThat(allocatedBy(cutAndDrain)).as("bytes allocated by %d cuts", ROUNDS).isLessThan(ROUNDS);
        assertThat(pool.inUse()).isZero();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"native", "nio"})
    void readThatFindsNothingKeepsNoSegment(String net) throws IOException {
        EvBuffer b = buffer();
        try (PipeEnds pipe = net(net).pipe()) {
            assertThat(b.readFrom(pipe.source())).isZero();
            assertThat(pool.inUse()).as("segments after a read that found nothing").isZero();

            write(pipe, pattern(5, 2));
            assertThat(b.readFrom(pipe.source())).isEqualTo(5);
            assertThat(b.readFrom(pipe.source())).isZero();
            assertThat(pool.inUse()).as("segments holding the 5 bytes read").isEqualTo(1);
            assertThat(contents(b)).isEqualTo(new String(pattern(5, 2), StandardCharsets.ISO_8859_1));

            b.drain(5);
            assertThat(pool.inUse()).as("segments after draining").isZero();
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"native", "nio"})
    void readThatFindsNothingKeepsRoomMadeByExpand(String net) throws IOException {
        EvBuffer b = buffer();
        b.expand(LARGE); // asked for: the next LARGE bytes added go in without a new segment
        try (PipeEnds pipe = net(net).pipe()) {
            assertThat(b.readFrom(pipe.source(), 2 * LARGE)).isZero();
            assertThat(pool.inUse()).as("the expanded room survives a read of nothing").isEqualTo(1);
        }
        long before = pool.allocated();
        b.add(pattern(LARGE, 3));
        assertThat(pool.inUse()).isEqualTo(1);
        assertThat(pool.allocated()).isEqualTo(before);
    }

    /**
     * A read that fills part of its reservation, an empty read (whose reserved segment goes
     * back at once) and a drain allocate nothing. The stream is a fake: a real one's system
     * calls may allocate an errno-capture slice of their own when not inlined (see
     * bench/FINDINGS.md), which is not what this test is about.
     */
    @Test
    void readDrainCyclesAllocateNothing() {
        EvBuffer in = buffer();
        Trickle stream = new Trickle();
        Runnable cycle = () -> {
            stream.pending = 100;
            try {
                if (in.readFrom(stream, LARGE) != 100 || in.readFrom(stream, LARGE) != 0) {
                    throw new AssertionError("unexpected read count");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            in.drain(100);
        };
        assertThat(allocatedBy(cycle)).as("bytes allocated by %d read/drain cycles", ROUNDS).isLessThan(ROUNDS);
        assertThat(pool.inUse()).isZero();
    }

    /** What {@code ROUNDS} runs of {@code work} allocate after as many to warm up. */
    private static long allocatedBy(Runnable work) {
        for (int i = 0; i < ROUNDS; i++) {
            work.run();
        }
        return Allocation.bytes(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                work.run();
            }
        });
    }

    private EvBuffer[] buffers(int n) {
        EvBuffer[] all = new EvBuffer[n];
        for (int i = 0; i < n; i++) {
            all[i] = buffer();
        }
        return all;
    }

    private static void fillAndDrainEach(EvBuffer[] buffers, byte[] data) {
        for (EvBuffer b : buffers) {
            b.add(data);
            b.drain(data.length);
        }
    }

    private static Net net(String name) {
        return name.equals("native") ? Net.nativeNet() : Net.nio();
    }

    private static void write(PipeEnds pipe, byte[] data) throws IOException {
        assertThat(pipe.sink().write(ByteBuffer.wrap(data))).isEqualTo(data.length);
    }

    /** A stream that has {@code pending} bytes to read (their values do not matter), then none (EAGAIN). */
    private static final class Trickle implements ReadableStream {
        int pending;

        @Override
        public long read(BufferVectors dsts) {
            long room = 0;
            for (int i = 0; i < dsts.count; i++) {
                room += dsts.lengths[i];
            }
            long n = Math.min(room, pending);
            pending -= (int) n;
            return n;
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(MemorySegment dst, long offset, long length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(MemorySegment[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int fd() {
            return -1;
        }

        @Override
        public SelectableChannel channel() {
            return null;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }
}
