package org.jevent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Locking smoke tests and the pool under two threads. */
class EvBufferConcurrencyTest extends BufferTestSupport {
    private static final int RECORDS = 20_000;
    private static final int RECORD = 8;

    @Test
    void producerAndConsumerShareALockedBuffer() throws Exception {
        EvBuffer b = buffer();
        b.enableLocking();
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                start.await();
                byte[] record = new byte[RECORD];
                for (int i = 0; i < RECORDS; i++) {
                    java.util.Arrays.fill(record, (byte) i);
                    b.add(record);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        producer.start();
        start.countDown();
        byte[] record = new byte[RECORD];
        int got = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got < RECORDS && System.nanoTime() < deadline && failure.get() == null) {
            b.lock(); // a compound operation: check and remove atomically
            try {
                if (b.length() >= RECORD) {
                    assertThat(b.remove(record)).isEqualTo(RECORD);
                    for (byte x : record) {
                        assertThat(x).isEqualTo((byte) got);
                    }
                    got++;
                }
            } finally {
                b.unlock();
            }
            if (got % 64 == 0) {
                Thread.onSpinWait();
            }
        }
        producer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(failure.get()).isNull();
        assertThat(got).isEqualTo(RECORDS);
        assertThat(b.length()).isZero();
    }

    @Test
    void twoThreadsMovingBetweenTwoBuffersInOppositeDirectionsDoNotDeadlock() throws Exception {
        EvBuffer a = buffer();
        EvBuffer b = buffer();
        a.enableLocking();
        b.enableLocking();
        a.add(pattern(10_000, 1));
        b.add(pattern(10_000, 2));
        CountDownLatch done = new CountDownLatch(2);
        Runnable ab = () -> {
            for (int i = 0; i < 5_000; i++) {
                a.removeBuffer(b, 37);
            }
            done.countDown();
        };
        Runnable ba = () -> {
            for (int i = 0; i < 5_000; i++) {
                b.removeBuffer(a, 41);
            }
            done.countDown();
        };
        new Thread(ab).start();
        new Thread(ba).start();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(a.length() + b.length()).isEqualTo(20_000);
    }

    @Test
    void poolHandsOutEachSegmentToOneThreadAtATime() throws Exception {
        CountDownLatch done = new CountDownLatch(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable churn = () -> {
            try (EvBuffer b = new EvBuffer(pool)) {
                byte[] data = pattern(3000, (int) Thread.currentThread().threadId());
                byte[] out = new byte[3000];
                for (int i = 0; i < 2_000; i++) {
                    b.add(data);
                    b.remove(out);
                    assertThat(out).isEqualTo(data); // a segment shared by mistake corrupts this
                }
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done.countDown();
            }
        };
        new Thread(churn).start();
        new Thread(churn).start();
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
        assertThat(pool.inUse()).isZero();
    }
}
