package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Watchers of the loop itself: idle, prepare and check (also libevent 2.2's evwatch), cleanup. */
class LoopWatcherTest {

    @AllBackends
    void idleRunsWhenNothingElseIsPendingAndKeepsTheLoopFromBlocking(String method) {
        try (Harness h = new Harness(method)) {
            Timer far = h.base.timer(Duration.ofHours(1), Duration.ZERO, (w, r) -> {});
            far.start();
            AtomicInteger calls = new AtomicInteger();
            AtomicInteger revents = new AtomicInteger();
            Idle idle = h.base.idle((w, r) -> {
                revents.set(r);
                if (calls.incrementAndGet() == 3) {
                    w.stop();
                    far.stop();
                }
            });
            idle.start();
            long start = System.nanoTime();
            h.base.run(0);
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
            assertThat(calls).hasValue(3);
            assertThat(revents).hasValue(Watcher.IDLE);
        }
    }

    @AllBackends
    void idleWaitsWhileSomethingOfEqualOrHigherPriorityIsPending(String method) {
        try (Harness h = new Harness(EventBaseConfig.builder().method(method).priorities(5)
                .priorityMode(PriorityMode.ORDERED))) {
            List<String> log = new ArrayList<>();
            Idle same = h.base.idle((w, r) -> log.add("same-level work"));
            Idle idle = h.base.idle((w, r) -> {
                log.add("idle");
                w.stop();
            });
            Idle lower = h.base.idle((w, r) -> {
                log.add("lower idle");
                w.stop();
            });
            lower.priority(-1);
            AtomicInteger busy = new AtomicInteger();
            // Before each of the first three polls, make work of the idle's priority due.
            Prepare feeder = h.base.prepare((w, r) -> {
                if (busy.incrementAndGet() <= 3) same.feed(Watcher.CUSTOM);
                else w.stop();
            });
            feeder.start();
            idle.start();
            lower.start();
            h.base.run(0);
            assertThat(log).startsWith("same-level work", "same-level work", "same-level work", "idle");
            assertThat(log).as("the less urgent idle waited for the more urgent one").contains("lower idle");
            assertThat(log.indexOf("lower idle")).isGreaterThan(log.indexOf("idle"));
        }
    }

    @AllBackends
    void prepareAndCheckBracketThePoll(String method) {
        try (Harness h = new Harness(method)) {
            List<String> log = new ArrayList<>();
            AtomicReference<Duration> timeout = new AtomicReference<>();
            Prepare prepare = h.base.prepare((w, r) -> {
                log.add("prepare");
                if (timeout.get() == null) timeout.set(w.timeout());
            });
            Check check = h.base.check((w, r) -> log.add("check"));
            Timer t = h.base.timer(Duration.ofMillis(20), Duration.ZERO, (w, r) -> {
                log.add("timer");
                prepare.stop();
                check.stop();
            });
            prepare.start();
            check.start();
            t.start();
            h.base.run(0);
            assertThat(log.get(0)).isEqualTo("prepare");
            // Each poll is between a prepare and a check; the timer runs after the check.
            int timer = log.indexOf("timer");
            assertThat(log.subList(timer - 2, timer + 1)).containsExactly("prepare", "check", "timer");
            assertThat(timeout.get()).isLessThanOrEqualTo(Duration.ofMillis(20)).isGreaterThan(Duration.ZERO);
        }
    }

    @AllBackends
    void prepareTimeoutIsZeroWhenTheLoopWillNotBlock(String method) {
        try (Harness h = new Harness(method)) {
            List<Duration> seen = new ArrayList<>();
            Prepare prepare = h.base.prepare((w, r) -> seen.add(w.timeout()));
            prepare.start();
            h.base.run(EventBase.RUN_NOWAIT);
            Async wake = h.base.async((w, r) -> {});
            wake.start();
            wake.send();
            h.base.run(EventBase.RUN_ONCE);
            assertThat(seen).as("NOWAIT, then an async already sent").containsExactly(Duration.ZERO, Duration.ZERO);
            prepare.stop();
            wake.stop();
        }
    }

    @AllBackends
    void prepareWithoutTimersWouldBlockForever(String method) {
        try (Harness h = new Harness(method)) {
            AtomicReference<Duration> timeout = new AtomicReference<>(Duration.ofDays(1));
            Async stop = h.base.async((w, r) -> w.stop());
            Prepare prepare = h.base.prepare((w, r) -> {
                timeout.set(w.timeout());
                w.stop();
                stop.send(); // so that the poll returns
            });
            stop.start();
            prepare.start();
            h.base.run(0);
            assertThat(timeout.get()).isNull();
        }
    }

    @AllBackends
    void cleanupRunsWhenTheBaseClosesAndDoesNotKeepItAlive(String method) {
        AtomicInteger revents = new AtomicInteger();
        AtomicInteger stoppedOthers = new AtomicInteger();
        try (Harness h = new Harness(method)) {
            Idle left = h.base.idle((w, r) -> {});
            left.unref();
            left.start();
            Cleanup cleanup = h.base.cleanup((w, r) -> {
                revents.set(r);
                if (left.isActive()) stoppedOthers.set(1); // others are still running when it runs
            });
            cleanup.start();
            assertThat(h.base.run(0)).as("nothing keeps it alive").isFalse();
            assertThat(revents).hasValue(0);
            h.base.close();
            assertThat(left.isActive()).isFalse();
        }
        assertThat(revents).hasValue(Watcher.CLEANUP);
        assertThat(stoppedOthers).hasValue(1);
    }
}
