package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Cross-thread use (libevent's "thread" and "finalize" groups). */
class ThreadTest {

    /** Runs the base's loop on its own thread until {@link #close}. */
    private static final class LoopThread implements AutoCloseable {
        final Thread thread;

        LoopThread(EventBase base) {
            thread = Thread.ofPlatform().name("loop-" + base.method()).start(() -> base.loop(EventBase.NO_EXIT_ON_EMPTY));
        }

        @Override
        public void close() throws InterruptedException {
            assertThat(thread.join(Duration.ofSeconds(10))).as("loop thread ended").isTrue();
        }
    }

    @AllBackends
    void activateFromAnotherThreadWakesTheLoop(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            CountDownLatch fired = new CountDownLatch(1);
            Event e = h.base.newTimer((ev, w) -> fired.countDown());
            try (LoopThread loop = new LoopThread(h.base)) {
                e.activate(Event.TIMEOUT);
                assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
                h.base.loopBreak();
            }
        }
    }

    @AllBackends
    void addFromAnotherThreadIsWatchedAtOnce(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            CountDownLatch fired = new CountDownLatch(1);
            Event e = h.base.newEvent(p.b(), Event.READ, (ev, w) -> fired.countDown());
            try (LoopThread loop = new LoopThread(h.base)) {
                e.add();
                p.a().write((byte) 1);
                assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
                h.base.loopBreak();
            }
        }
    }

    @AllBackends
    void shorterTimerAddedFromAnotherThreadIsHonoured(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Event far = h.base.newTimer((e, w) -> {});
            far.add(Duration.ofHours(1));
            CountDownLatch fired = new CountDownLatch(1);
            try (LoopThread loop = new LoopThread(h.base)) {
                h.base.newTimer((e, w) -> fired.countDown()).add(Duration.ofMillis(5));
                assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
                far.del();
                h.base.loopBreak();
            }
        }
    }

    @AllBackends
    void loopExitFromAnotherThread(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            try (LoopThread loop = new LoopThread(h.base)) {
                h.base.loopExit();
            }
            assertThat(h.base.gotExit()).isTrue();
        }
    }

    @AllBackends
    void delFromAnotherThreadWaitsForTheRunningCallback(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean finished = new AtomicBoolean();
            Event e = h.base.newTimer((ev, w) -> {
                inCallback.countDown();
                await(release);
                finished.set(true);
            });
            try (LoopThread loop = new LoopThread(h.base)) {
                e.activate(Event.TIMEOUT);
                assertThat(inCallback.await(5, TimeUnit.SECONDS)).isTrue();
                Thread deleter = Thread.currentThread();
                Thread releaser = Thread.ofPlatform().start(() -> {
                    // Release the callback only once del() is blocked waiting for it.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (deleter.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    release.countDown();
                });
                e.del();
                assertThat(finished).isTrue();
                releaser.join();
                h.base.loopBreak();
            }
        }
    }

    @AllBackends
    void finalizeEventDelDoesNotWait(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Event e = h.base.newEvent((Pollable) null, Event.FINALIZE, (ev, w) -> {
                inCallback.countDown();
                await(release);
            });
            try (LoopThread loop = new LoopThread(h.base)) {
                e.activate(Event.TIMEOUT);
                assertThat(inCallback.await(5, TimeUnit.SECONDS)).isTrue();
                e.del(); // would deadlock without FINALIZE: the callback waits for us
                release.countDown();
                h.base.loopBreak();
            }
        }
    }

    @AllBackends
    void finalizerRunsAfterTheCallbackOnTheLoopThread(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch finalized = new CountDownLatch(1);
            AtomicBoolean callbackDone = new AtomicBoolean();
            AtomicBoolean rightOrder = new AtomicBoolean();
            Event e = h.base.newTimer((ev, w) -> {
                inCallback.countDown();
                await(release);
                callbackDone.set(true);
            });
            try (LoopThread loop = new LoopThread(h.base)) {
                e.activate(Event.TIMEOUT);
                assertThat(inCallback.await(5, TimeUnit.SECONDS)).isTrue();
                e.closeWith(ev -> {
                    rightOrder.set(callbackDone.get() && h.base.inLoopThread());
                    finalized.countDown();
                });
                release.countDown();
                assertThat(finalized.await(5, TimeUnit.SECONDS)).isTrue();
                h.base.loopBreak();
            }
            assertThat(rightOrder).isTrue();
            assertThat(e.isClosed()).isTrue();
        }
    }

    @AllBackends
    void manyThreadsActivatingConcurrently(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            int threads = 4, each = 2_000;
            CountDownLatch all = new CountDownLatch(threads * each);
            Event[] events = new Event[threads];
            for (int i = 0; i < threads; i++) {
                events[i] = h.base.newTimer((e, w) -> {
                    fired.incrementAndGet();
                    all.countDown();
                });
            }
            try (LoopThread loop = new LoopThread(h.base)) {
                Thread[] workers = new Thread[threads];
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    workers[t] = Thread.ofPlatform().start(() -> {
                        for (int i = 0; i < each; i++) {
                            // Merge-safe: count each activation through its own once event.
                            h.base.once(null, Event.TIMEOUT, Duration.ZERO, events[id].callback());
                        }
                    });
                }
                for (Thread w : workers) w.join();
                assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
                h.base.loopBreak();
            }
            assertThat(fired).hasValue(threads * each);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
