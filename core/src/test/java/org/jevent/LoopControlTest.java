package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/** libev's loop controls: run flags, break, depth, iteration, suspend, ref, collect intervals, hooks. */
class LoopControlTest {

    @AllBackends
    void runNowaitDoesNotBlockAndSaysWhetherWatchersRemain(String method) {
        try (Harness h = new Harness(method)) {
            Timer t = h.base.timer(Duration.ofHours(1), Duration.ZERO, (w, r) -> {});
            t.start();
            long start = System.nanoTime();
            assertThat(h.base.run(EventBase.RUN_NOWAIT)).isTrue();
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
            t.stop();
            assertThat(h.base.run(EventBase.RUN_NOWAIT)).isFalse();
            assertThat(h.base.run(0)).isFalse();
        }
    }

    @AllBackends
    void runAlwaysRunsOneIterationEvenWithOnlyUnreferencedWatchers(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger called = new AtomicInteger();
            Async async = h.base.async((w, r) -> called.incrementAndGet());
            async.start();
            async.unref();
            async.send();
            long before = h.base.iteration();
            assertThat(h.base.run(EventBase.RUN_NOWAIT)).isFalse();
            assertThat(h.base.iteration()).isEqualTo(before + 1);
            assertThat(called).hasValue(1);
            async.send();
            assertThat(h.base.run(0)).isFalse(); // one non-blocking iteration, then nothing keeps it
            assertThat(called).hasValue(2);
            long start = System.nanoTime();
            assertThat(h.base.run(EventBase.RUN_ONCE)).isFalse(); // nothing sent: must not block
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
            async.stop();
        }
    }

    @AllBackends
    void runGoesOnWhenTheFirstIterationStartsAReferencedWatcher(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            Timer timer = h.base.timer(Duration.ofMillis(1), Duration.ZERO, (w, r) -> fired.incrementAndGet());
            Async async = h.base.async((w, r) -> timer.start());
            async.start();
            async.unref();
            async.send();
            assertThat(h.base.run(0)).isFalse(); // as ev_run: the end-of-iteration check sees the timer
            assertThat(fired).hasValue(1);
            async.stop();
        }
    }

    @AllBackends
    void loopWithNothingRegisteredReturnsOneWithoutAnIteration(String method) {
        try (Harness h = new Harness(method)) {
            long before = h.base.iteration();
            assertThat(h.base.loop(0)).isEqualTo(1);
            assertThat(h.base.loop(EventBase.NONBLOCK)).isEqualTo(1);
            assertThat(h.base.iteration()).isEqualTo(before);
        }
    }

    @AllBackends
    void runOnceBlocksForOneIteration(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            h.base.timer(Duration.ofMillis(10), Duration.ofMillis(10), (w, r) -> fired.incrementAndGet()).start();
            long before = h.base.iteration();
            assertThat(h.base.run(EventBase.RUN_ONCE)).isTrue();
            assertThat(h.base.iteration()).isEqualTo(before + 1);
            assertThat(fired).hasValue(1);
            h.base.close(); // stops the timer
        }
    }

    @AllBackends
    void breakOneEndsTheInnermostRunAndBreakAllEveryRun(String method) {
        try (Harness h = new Harness(method)) {
            List<String> log = new ArrayList<>();
            AtomicInteger ticks = new AtomicInteger();
            Timer tick = h.base.timer(Duration.ZERO, Duration.ofMillis(1), (w, r) -> {
                int n = ticks.incrementAndGet();
                EventBase base = w.base();
                log.add(n + "@" + base.depth());
                if (n == 1 || n == 3) {
                    base.run(0); // nested
                    log.add("nested returned@" + base.depth());
                } else if (n == 2) {
                    base.breakLoop(EventBase.BREAK_ONE);
                } else if (n == 4) {
                    base.breakLoop(EventBase.BREAK_ALL);
                }
            });
            tick.start();
            h.base.run(0);
            assertThat(log).containsExactly("1@1", "2@2", "nested returned@1", "3@1", "4@2", "nested returned@1");
            assertThat(h.base.depth()).isZero();
            tick.stop();
        }
    }

    @AllBackends
    void breakCancelWithdrawsABreak(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            Timer t = h.base.timer(Duration.ZERO, Duration.ofMillis(1), (w, r) -> {
                w.base().breakLoop(EventBase.BREAK_ONE);
                if (fired.incrementAndGet() < 3) w.base().breakLoop(EventBase.BREAK_CANCEL);
            });
            t.start();
            h.base.run(0);
            assertThat(fired).hasValue(3);
            assertThat(h.base.gotBreak()).isTrue();
            t.stop();
        }
    }

    @AllBackends
    void timeSpentSuspendedDoesNotCountAgainstTimers(String method) {
        try (Harness h = new Harness(method)) {
            Timer t = h.base.timer(Duration.ofMillis(300), Duration.ZERO, (w, r) -> {});
            t.start();
            h.base.suspend();
            // The process being stopped, as far as the base knows: time passes, nothing runs.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150);
            while (System.nanoTime() < until) LockSupport.parkNanos(until - System.nanoTime());
            h.base.resume();
            assertThat(t.remaining()).isGreaterThan(Duration.ofMillis(200));
            t.stop();
        }
    }

    @AllBackends
    void unreferencedWatcherDoesNotKeepTheLoopAlive(String method) {
        try (Harness h = new Harness(method)) {
            Timer background = h.base.timer(Duration.ofHours(1), Duration.ZERO, (w, r) -> {});
            background.start();
            background.unref();
            assertThat(h.base.pendingEvents()).isZero();
            AtomicInteger fired = new AtomicInteger();
            h.base.timer(Duration.ofMillis(5), Duration.ZERO, (w, r) -> fired.incrementAndGet()).start();
            assertThat(h.base.run(0)).isFalse();
            assertThat(fired).hasValue(1);
            assertThat(background.isActive()).isTrue();
            background.ref();
            assertThat(h.base.pendingEvents()).isOne();
            background.stop();
        }
    }

    @AllBackends
    void feedAndClearPending(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger revents = new AtomicInteger();
            Idle never = h.base.idle((w, r) -> revents.set(r));
            never.feed(Watcher.CUSTOM);
            never.feed(Watcher.IDLE);
            assertThat(never.isPending()).isTrue();
            assertThat(h.base.activeEvents()).as("ev_pending_count").isOne();
            assertThat(never.clearPending()).isEqualTo(Watcher.CUSTOM | Watcher.IDLE);
            assertThat(never.isPending()).isFalse();
            never.feed(Watcher.CUSTOM);
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(revents).hasValue(Watcher.CUSTOM);
        }
    }

    @AllBackends
    void invokePendingHookRunsTheCallbacksWhereItWants(String method) {
        try (Harness h = new Harness(method)) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            AtomicInteger hookCalls = new AtomicInteger();
            h.base.invokePendingHook(base -> {
                hookCalls.incrementAndGet();
                Thread worker = Thread.ofPlatform().start(base::invokePending);
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            h.base.timer(Duration.ZERO, Duration.ZERO, (w, r) -> ranOn.set(Thread.currentThread())).start();
            h.base.run(0);
            assertThat(hookCalls).hasValue(1);
            assertThat(ranOn.get()).isNotNull().isNotEqualTo(Thread.currentThread());
            h.base.invokePendingHook(null);
        }
    }

    @AllBackends
    void timeoutCollectIntervalBatchesTimers(String method) {
        try (Harness h = new Harness(method)) {
            h.base.timeoutCollectInterval(Duration.ofMillis(40));
            long start = System.nanoTime();
            List<Long> iterations = new ArrayList<>();
            AtomicLong firstAt = new AtomicLong();
            for (int ms : new int[] {1, 5, 20}) {
                h.base.timer(Duration.ofMillis(ms), Duration.ZERO, (w, r) -> {
                    firstAt.compareAndSet(0, System.nanoTime());
                    iterations.add(w.base().iteration());
                }).start();
            }
            h.base.run(0);
            assertThat(firstAt.get() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
            assertThat(iterations).as("all three in one iteration").containsOnly(iterations.get(0)).hasSize(3);
        }
    }

    @AllBackends
    void ioCollectIntervalWaitsBeforePolling(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicLong readAt = new AtomicLong();
            Io io = h.base.io(p.b(), Watcher.READ, (w, r) -> {
                readAt.set(System.nanoTime());
                p.b().read(16);
                w.stop();
            });
            io.start();
            h.base.ioCollectInterval(Duration.ofMillis(40));
            h.base.run(EventBase.RUN_NOWAIT); // a poll: the interval counts from here
            long polled = System.nanoTime();
            p.a().write((byte) 1);
            h.base.run(0);
            assertThat(readAt.get() - polled).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(35));
        }
    }

    @AllBackends
    void orderedPriorityRunsEveryLevelInOneIteration(String method) {
        try (Harness h = new Harness(EventBaseConfig.builder().method(method).priorities(5)
                .priorityMode(PriorityMode.ORDERED))) {
            List<String> order = new ArrayList<>();
            for (int pri : new int[] {-2, 0, 2, 1}) {
                Idle w = h.base.idle((x, r) -> order.add(x.priority() + "@" + x.base().iteration()));
                w.priority(pri);
                w.feed(Watcher.CUSTOM);
            }
            h.base.run(EventBase.RUN_NOWAIT);
            long it = h.base.iteration();
            assertThat(order).containsExactly("2@" + it, "1@" + it, "0@" + it, "-2@" + it);
        }
    }

    @AllBackends
    void strictPriorityRunsOneLevelPerIteration(String method) {
        try (Harness h = new Harness(EventBaseConfig.builder().method(method).priorities(5))) {
            List<Integer> order = new ArrayList<>();
            for (int pri : new int[] {-2, 0, 2}) {
                Idle w = h.base.idle((x, r) -> order.add(x.priority()));
                w.priority(pri);
                w.feed(Watcher.CUSTOM);
            }
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(order).containsExactly(2);
            h.base.run(EventBase.RUN_NOWAIT);
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(order).containsExactly(2, 0, -2);
        }
    }

    @AllBackends
    void libevPrioritiesMapOntoLevels(String method) {
        try (Harness h = new Harness(EventBaseConfig.builder().method(method).priorities(5))) {
            Idle w = h.base.idle((x, r) -> {});
            for (int p = Watcher.MIN_PRIORITY; p <= Watcher.MAX_PRIORITY; p++) {
                w.priority(p);
                assertThat(w.event.priority()).isEqualTo(2 - p);
            }
            w.start();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.priority(1))
                    .isInstanceOf(IllegalStateException.class);
            w.stop();
        }
        try (Harness h = new Harness(EventBaseConfig.builder().method(method).priorities(1))) {
            Idle w = h.base.idle((x, r) -> {});
            w.priority(Watcher.MAX_PRIORITY);
            assertThat(w.event.priority).isZero();
        }
    }

    @AllBackends
    void updateCacheTimeRefreshesNow(String method) {
        try (Harness h = new Harness(method)) {
            AtomicBoolean moved = new AtomicBoolean();
            h.base.timer(Duration.ZERO, Duration.ZERO, (w, r) -> {
                long cached = w.base().now();
                long until = System.nanoTime() + 2_000_000;
                while (System.nanoTime() < until) Thread.onSpinWait();
                assertThat(w.base().now()).isEqualTo(cached);
                w.base().updateCacheTime();
                moved.set(w.base().now() > cached && w.base().wallNow() > 0);
            }).start();
            h.base.run(0);
            assertThat(moved).isTrue();
        }
    }
}
