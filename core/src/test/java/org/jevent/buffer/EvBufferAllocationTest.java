package org.jevent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** Steady-state hot paths allocate nothing: segments and chain nodes are recycled. */
class EvBufferAllocationTest extends BufferTestSupport {
    private static final int ITERATIONS = 20_000;
    // Reflection because the test sources compile inside module org.jevent, which does not
    // read jdk.management; the measurement itself costs about a kilobyte.
    private static final Object THREADS;
    private static final Method ALLOCATED;

    static {
        try {
            THREADS = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long threadAllocatedBytes() {
        try {
            return (long) ALLOCATED.invoke(THREADS, Thread.currentThread().threadId());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static long allocatedBy(Runnable work) {
        for (int i = 0; i < ITERATIONS; i++) { // warm up: pool, spare nodes, JIT
            work.run();
        }
        long before = threadAllocatedBytes();
        for (int i = 0; i < ITERATIONS; i++) {
            work.run();
        }
        return threadAllocatedBytes() - before;
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
