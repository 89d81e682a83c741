package org.jevent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Steady-state hot paths allocate nothing: segments and chain nodes are recycled. */
class EvBufferAllocationTest extends BufferTestSupport {
    private static final int ITERATIONS = 20_000;
    private static long allocatedBy(Runnable work) {
        for (int i = 0; i < ITERATIONS; i++) { // warm up: pool, spare nodes, JIT
            work.run();
        }
        long before = org.jevent.Allocation.current();
        for (int i = 0; i < ITERATIONS; i++) {
            work.run();
        }
        return org.jevent.Allocation.current() - before;
    }

    @Test
    void addAndRemoveAcrossSegmentsAllocateNothing() {
        EvBuffer b = buffer();
        byte[] data = pattern(300, 0);
        byte[] out = new byte[300];
        assertThat(allocatedBy(() -> {
            b.add(data);
            b.prepend(data, 0, 10);
            b.remove(out, 0, 10);
            b.remove(out);
        })).as("bytes allocated in %d iterations", ITERATIONS).isLessThan(ITERATIONS);
    }

    @Test
    void readAndWriteHooksAllocateNothing() {
        EvBuffer b = buffer();
        b.enableLocking();
        EvBuffer other = buffer();
        BufferVectors rv = new BufferVectors(2);
        BufferVectors wv = new BufferVectors(8);
        assertThat(allocatedBy(() -> {
            b.reserveForRead(700, rv);
            b.commitRead(700);
            b.removeBuffer(other, 100);
            b.gatherForWrite(wv, 1 << 20);
            b.drain(600);
            other.drain(100);
        })).as("bytes allocated in %d iterations", ITERATIONS).isLessThan(ITERATIONS);
    }
}
