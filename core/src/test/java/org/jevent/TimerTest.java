package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Timers, persistent timeouts, common timeouts and once (libevent's "timer" and "main" groups). */
class TimerTest {

    @AllBackends
    void timerNeverFiresEarly(String method) {
        try (Harness h = new Harness(method)) {
            long start = System.nanoTime();
            AtomicLong firedAt = new AtomicLong();
            h.base.newTimer((e, w) -> firedAt.set(System.nanoTime())).add(Duration.ofMillis(25));
            h.base.dispatch();
            assertThat(firedAt.get() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(25));
        }
    }

    @AllBackends
    void timerAddedByAnotherThreadWhileTheLoopBlocksCountsFromTheClock(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            java.util.concurrent.CountDownLatch polling = new java.util.concurrent.CountDownLatch(1);
            // The second iteration polls with the time the first one cached.
            h.base.newTimer((e, w) -> {}).add(Duration.ZERO);
            AtomicInteger prepared = new AtomicInteger();
            Prepare prepare = h.base.prepare((w, r) -> {
                if (prepared.incrementAndGet() == 2) polling.countDown();
            });
            prepare.start();
            AtomicLong addedAt = new AtomicLong(), firedAt = new AtomicLong();
            Event timer = h.base.newTimer((e, w) -> {
                firedAt.set(System.nanoTime());
                h.base.loopBreak();
            });
            Thread adder = new Thread(() -> {
                try {
                    assertThat(polling.await(5, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException ex) {
                    throw new AssertionError(ex);
                }
                // The loop's cached time is now well in the past; a timer must not count from it.
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                while (System.nanoTime() < until) java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
                addedAt.set(System.nanoTime());
                timer.add(Duration.ofMillis(30));
            });
            adder.start();
            h.base.loop(EventBase.NO_EXIT_ON_EMPTY);
            adder.join(5_000);
            prepare.stop();
            assertThat(firedAt.get() - addedAt.get()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        }
    }

    @AllBackends
    void subMillisecondTimerFiresAfterItsDeadline(String method) {
        try (Harness h = new Harness(method)) {
            long start = System.nanoTime();
            AtomicLong firedAt = new AtomicLong();
            h.base.newTimer((e, w) -> firedAt.set(System.nanoTime())).add(300, TimeUnit.MICROSECONDS);
            h.base.dispatch();
            assertThat(firedAt.get() - start).isGreaterThanOrEqualTo(300_000);
        }
    }

    @AllBackends
    void timersFireInDeadlineOrder(String method) {
        try (Harness h = new Harness(method)) {
            List<Integer> order = new ArrayList<>();
            for (int ms : new int[] {30, 10, 20, 0, 5}) {
                h.base.newTimer((e, w) -> order.add(ms)).add(Duration.ofMillis(ms));
            }
            h.base.dispatch();
            assertThat(order).containsExactly(0, 5, 10, 20, 30);
        }
    }

    @AllBackends
    void callbackReceivesTimeout(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger what = new AtomicInteger();
            h.base.newTimer((e, w) -> what.set(w)).add(Duration.ZERO);
            h.base.dispatch();
            assertThat(what).hasValue(Event.TIMEOUT);
        }
    }

    @AllBackends
    void deletedTimerDoesNotFire(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            Event t = h.base.newTimer((e, w) -> fired.incrementAndGet());
            t.add(Duration.ofMillis(1));
            t.del();
            assertThat(h.base.dispatch()).isEqualTo(1);
            assertThat(fired).hasValue(0);
        }
    }

    @AllBackends
    void readdingMovesTheDeadline(String method) {
        try (Harness h = new Harness(method)) {
            long start = System.nanoTime();
            AtomicLong firedAt = new AtomicLong();
            Event t = h.base.newTimer((e, w) -> firedAt.set(System.nanoTime()));
            t.add(Duration.ofMillis(1));
            t.add(Duration.ofMillis(40));
            h.base.dispatch();
            assertThat(firedAt.get() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
        }
    }

    @AllBackends
    void addWithoutTimeoutKeepsAnExistingTimeout(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger what = new AtomicInteger();
            Event e = h.base.newEvent(p.a(), Event.READ, (ev, w) -> what.set(w));
            e.add(Duration.ofMillis(10));
            e.add();
            assertThat(e.remaining()).isNotNull();
            h.base.dispatch();
            assertThat(what).hasValue(Event.TIMEOUT);
        }
    }

    @AllBackends
    void timerReaddedFromItsOwnCallback(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            Event t = h.base.newTimer((e, w) -> {
                if (fired.incrementAndGet() < 5) e.add(Duration.ofMillis(1));
            });
            t.add(Duration.ofMillis(1));
            h.base.dispatch();
            assertThat(fired).hasValue(5);
        }
    }

    @AllBackends
    void persistentTimerRepeatsWithoutDrift(String method) {
        try (Harness h = new Harness(method)) {
            long start = System.nanoTime();
            List<Long> at = new ArrayList<>();
            Event t = h.base.newEvent((Pollable) null, Event.PERSIST, (e, w) -> {
                at.add(System.nanoTime() - start);
                if (at.size() == 5) e.del();
            });
            t.add(Duration.ofMillis(10));
            h.base.dispatch();
            assertThat(at).hasSize(5);
            for (int i = 0; i < 5; i++) {
                assertThat(at.get(i)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(10L * (i + 1)));
            }
        }
    }

    @AllBackends
    void persistentReadWithTimeoutRearmsAfterReads(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            List<Integer> reasons = new ArrayList<>();
            Event e = h.base.newEvent(p.b(), Event.READ | Event.PERSIST, (ev, w) -> {
                reasons.add(w);
                if ((w & Event.READ) != 0) p.b().read(16);
                if ((w & Event.TIMEOUT) != 0) ev.del();
            });
            e.add(Duration.ofMillis(40));
            p.a().write((byte) 1);
            h.base.dispatch();
            assertThat(reasons).containsExactly(Event.READ, Event.TIMEOUT);
        }
    }

    @AllBackends
    void removeTimerKeepsIoInterest(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger what = new AtomicInteger();
            Event e = h.base.newEvent(p.b(), Event.READ, (ev, w) -> what.set(w));
            e.add(Duration.ofMillis(1));
            e.removeTimer();
            assertThat(e.pending(Event.TIMEOUT | Event.READ)).isEqualTo(Event.READ);
            assertThat(e.remaining()).isNull();
            p.a().write((byte) 7);
            h.base.dispatch();
            assertThat(what).hasValue(Event.READ);
        }
    }

    @AllBackends
    void pendingReportsRemainingTime(String method) {
        try (Harness h = new Harness(method)) {
            Event t = h.base.newTimer((e, w) -> {});
            t.add(Duration.ofSeconds(10));
            assertThat(t.pending(Event.TIMEOUT)).isEqualTo(Event.TIMEOUT);
            assertThat(t.remaining()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
            t.del();
            assertThat(t.pending(Event.TIMEOUT)).isZero();
            assertThat(t.remaining()).isNull();
        }
    }

    @AllBackends
    void commonTimeoutsFireInFifoOrder(String method) {
        try (Harness h = new Harness(method)) {
            CommonTimeout ct = h.base.commonTimeout(Duration.ofMillis(15));
            assertThat(h.base.commonTimeout(Duration.ofMillis(15))).isSameAs(ct);
            List<Integer> order = new ArrayList<>();
            long start = System.nanoTime();
            AtomicLong last = new AtomicLong();
            for (int i = 0; i < 100; i++) {
                int n = i;
                h.base.newTimer((e, w) -> {
                    order.add(n);
                    last.set(System.nanoTime());
                }).add(ct);
            }
            assertThat(ct.size()).isEqualTo(100);
            h.base.dispatch();
            assertThat(order).hasSize(100).isSorted();
            assertThat(last.get() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(15));
            assertThat(ct.size()).isZero();
        }
    }

    @AllBackends
    void commonTimeoutDeleteFromTheMiddle(String method) {
        try (Harness h = new Harness(method)) {
            CommonTimeout ct = h.base.commonTimeout(Duration.ofMillis(5));
            List<Integer> fired = new ArrayList<>();
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                Event e = h.base.newTimer((ev, w) -> fired.add(n));
                e.add(ct);
                events.add(e);
            }
            events.get(0).del();
            events.get(2).del();
            h.base.dispatch();
            assertThat(fired).containsExactly(1, 3, 4);
        }
    }

    @AllBackends
    void persistentEventOnCommonTimeoutRepeats(String method) {
        try (Harness h = new Harness(method)) {
            CommonTimeout ct = h.base.commonTimeout(Duration.ofMillis(3));
            AtomicInteger fired = new AtomicInteger();
            Event e = h.base.newEvent((Pollable) null, Event.PERSIST, (ev, w) -> {
                if (fired.incrementAndGet() == 4) ev.del();
            });
            e.add(ct);
            h.base.dispatch();
            assertThat(fired).hasValue(4);
        }
    }

    @AllBackends
    void commonTimeoutOfAnotherBaseIsRejected(String method) {
        try (Harness h = new Harness(method); Harness other = new Harness(method)) {
            CommonTimeout foreign = other.base.commonTimeout(Duration.ofMillis(5));
            Event e = h.base.newTimer((ev, w) -> {});
            assertThatThrownBy(() -> e.add(foreign)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another base");
        }
    }

    @AllBackends
    void onceRunsAndIsGone(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger what = new AtomicInteger();
            h.base.once(null, Event.TIMEOUT, Duration.ofMillis(2), (e, w) -> what.set(w));
            assertThat(h.base.pendingEvents()).isEqualTo(1);
            h.base.dispatch();
            assertThat(what).hasValue(Event.TIMEOUT);
            assertThat(h.base.pendingEvents()).isZero();
        }
    }

    @AllBackends
    void onceWithZeroTimeoutRunsAtOnce(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            h.base.once(null, Event.TIMEOUT, Duration.ZERO, (e, w) -> fired.incrementAndGet());
            h.base.loop(EventBase.NONBLOCK);
            assertThat(fired).hasValue(1);
        }
    }

    @AllBackends
    void onceOnReadiness(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger what = new AtomicInteger();
            h.base.once(p.b(), Event.READ, Duration.ofSeconds(5), (e, w) -> what.set(w));
            p.a().write((byte) 1);
            h.base.dispatch();
            assertThat(what).hasValue(Event.READ);
        }
    }

    @AllBackends
    void manyTimersWithRandomDeletesAndReadds(String method) {
        try (Harness h = new Harness(method)) {
            java.util.Random rnd = new java.util.Random(7);
            int n = 20_000;
            Event[] events = new Event[n];
            long[] due = new long[n];
            AtomicInteger early = new AtomicInteger();
            AtomicInteger fired = new AtomicInteger();
            for (int i = 0; i < n; i++) {
                int idx = i;
                events[i] = h.base.newTimer((e, w) -> {
                    if (System.nanoTime() < due[idx]) early.incrementAndGet();
                    fired.incrementAndGet();
                    // Like libevent's test-time: touch another random timer.
                    int j = rnd.nextInt(n);
                    if (j != idx) {
                        if (rnd.nextBoolean()) events[j].del();
                        else {
                            long us = rnd.nextInt(50_000);
                            due[j] = h.base.now() + us * 1000; // timers count from the cached time
                            events[j].add(us, TimeUnit.MICROSECONDS);
                        }
                    }
                });
                long us = rnd.nextInt(50_000);
                due[i] = System.nanoTime() + us * 1000;
                events[i].add(us, TimeUnit.MICROSECONDS);
            }
            h.base.dispatch();
            assertThat(early).hasValue(0);
            assertThat(fired.get()).isPositive();
            for (Event e : events) assertThat(e.pending(Event.TIMEOUT)).isZero();
        }
    }
}
