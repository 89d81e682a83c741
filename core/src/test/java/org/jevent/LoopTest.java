package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The loop itself: flags, exit, break, continue, emptiness (libevent's regress "main" group). */
class LoopTest {

    @AllBackends
    void emptyLoopReturnsOne(String method) {
        try (Harness h = new Harness(method)) {
            assertThat(h.base.dispatch()).isEqualTo(1);
        }
    }

    @AllBackends
    void nonblockWithNothingReadyReturnsAtOnce(String method) {
        try (Harness h = new Harness(method)) {
            Event timer = h.base.newTimer((e, w) -> {});
            timer.add(Duration.ofHours(1));
            assertThat(h.base.loop(EventBase.NONBLOCK)).isZero();
            assertThat(timer.pending(Event.TIMEOUT)).isEqualTo(Event.TIMEOUT);
            timer.del();
        }
    }

    @AllBackends
    void onceRunsOneRoundOfCallbacks(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            Event slow = h.base.newTimer((e, w) -> fired.incrementAndGet());
            Event fast = h.base.newTimer((e, w) -> fired.incrementAndGet());
            slow.add(Duration.ofHours(1));
            fast.add(Duration.ofMillis(5));
            assertThat(h.base.loop(EventBase.ONCE)).isZero();
            assertThat(fired).hasValue(1);
            slow.del();
        }
    }

    @AllBackends
    void loopExitFinishesActiveCallbacks(String method) {
        try (Harness h = new Harness(method)) {
            List<String> order = new ArrayList<>();
            Event a = h.base.newTimer((e, w) -> {
                order.add("a");
                h.base.loopExit();
            });
            Event b = h.base.newTimer((e, w) -> order.add("b"));
            Event far = h.base.newTimer((e, w) -> order.add("far"));
            far.add(Duration.ofHours(1));
            a.activate(Event.TIMEOUT);
            b.activate(Event.TIMEOUT);
            assertThat(h.base.dispatch()).isZero();
            assertThat(order).containsExactly("a", "b");
            assertThat(h.base.gotExit()).isTrue();
            assertThat(h.base.gotBreak()).isFalse();
            far.del();
        }
    }

    @AllBackends
    void loopExitAfterDelayStopsAnIdleLoop(String method) {
        try (Harness h = new Harness(method)) {
            Event far = h.base.newTimer((e, w) -> {});
            far.add(Duration.ofHours(1));
            long start = System.nanoTime();
            h.base.loopExit(Duration.ofMillis(30));
            h.base.dispatch();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
            assertThat(h.base.gotExit()).isTrue();
            far.del();
        }
    }

    @AllBackends
    void loopBreakStopsAfterTheRunningCallback(String method) {
        try (Harness h = new Harness(method)) {
            List<String> order = new ArrayList<>();
            Event a = h.base.newTimer((e, w) -> {
                order.add("a");
                h.base.loopBreak();
            });
            Event b = h.base.newTimer((e, w) -> order.add("b"));
            a.activate(Event.TIMEOUT);
            b.activate(Event.TIMEOUT);
            assertThat(h.base.dispatch()).isZero();
            assertThat(order).containsExactly("a");
            assertThat(h.base.gotBreak()).isTrue();
            assertThat(b.pending(Event.TIMEOUT)).isEqualTo(Event.TIMEOUT);
            b.del();
        }
    }

    @AllBackends
    void loopBreakBeforeTheLoopHasNoEffect(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            h.base.loopBreak();
            h.base.newTimer((e, w) -> fired.incrementAndGet()).add(Duration.ofMillis(1));
            assertThat(h.base.dispatch()).isEqualTo(1);
            assertThat(fired).hasValue(1);
        }
    }

    @AllBackends
    void loopContinuePollsBeforeTheNextCallback(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            List<String> order = new ArrayList<>();
            Event reader = h.base.newEvent(p.b(), Event.READ, (e, w) -> order.add("read"));
            reader.add();
            Event first = h.base.newTimer((e, w) -> {
                order.add("first");
                p.a().write((byte) 1);
                h.base.loopContinue();
            });
            Event second = h.base.newTimer((e, w) -> order.add("second"));
            first.activate(Event.TIMEOUT);
            second.activate(Event.TIMEOUT);
            h.base.dispatch();
            // After continue the loop polls: the read is queued behind "second" in the same level.
            assertThat(order).containsExactly("first", "second", "read");
        }
    }

    @AllBackends
    void noExitOnEmptyKeepsRunningUntilBroken(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger(-1);
            Thread loop = new Thread(() -> {
                started.countDown();
                result.set(h.base.loop(EventBase.NO_EXIT_ON_EMPTY));
            });
            loop.start();
            started.await(5, TimeUnit.SECONDS);
            assertThat(loop.join(Duration.ofMillis(50))).isFalse();
            h.base.loopBreak();
            assertThat(loop.join(Duration.ofSeconds(5))).isTrue();
            assertThat(result).hasValue(0);
        }
    }

    @AllBackends
    void secondConcurrentLoopIsAnError(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger failures = new AtomicInteger();
            Event e = h.base.newTimer((ev, w) -> {
                try {
                    h.base.loop(EventBase.NONBLOCK);
                } catch (IllegalStateException expected) {
                    failures.incrementAndGet();
                }
            });
            e.activate(Event.TIMEOUT);
            h.base.dispatch();
            assertThat(failures).hasValue(1);
        }
    }

    @AllBackends
    void cachedTimeIsStableWithinACallbackRound(String method) {
        try (Harness h = new Harness(method)) {
            long[] seen = new long[2];
            Event a = h.base.newTimer((e, w) -> seen[0] = h.base.now());
            Event b = h.base.newTimer((e, w) -> seen[1] = h.base.now());
            a.activate(Event.TIMEOUT);
            b.activate(Event.TIMEOUT);
            h.base.dispatch();
            assertThat(seen[0]).isEqualTo(seen[1]);
        }
    }

    @AllBackends
    void noCacheTimeReadsTheClockEachTime(String method) {
        try (Harness h = new Harness(EventBaseConfig.builder().method(method).noCacheTime())) {
            long[] seen = new long[2];
            h.base.newTimer((e, w) -> {
                seen[0] = h.base.now();
                long spin = System.nanoTime() + 100_000;
                while (System.nanoTime() < spin) Thread.onSpinWait();
                seen[1] = h.base.now();
            }).activate(Event.TIMEOUT);
            h.base.dispatch();
            assertThat(seen[1]).isGreaterThan(seen[0]);
        }
    }

    @AllBackends
    void exceptionFromACallbackPropagatesAndTheBaseStaysUsable(String method) {
        try (Harness h = new Harness(method)) {
            h.base.newTimer((e, w) -> { throw new IllegalStateException("boom"); }).activate(Event.TIMEOUT);
            assertThatThrownBy(h.base::dispatch).hasMessage("boom");
            AtomicInteger fired = new AtomicInteger();
            h.base.newTimer((e, w) -> fired.incrementAndGet()).activate(Event.TIMEOUT);
            h.base.dispatch();
            assertThat(fired).hasValue(1);
        }
    }

    @AllBackends
    void methodAndFeaturesAreReported(String method) {
        try (Harness h = new Harness(method)) {
            assertThat(h.base.method()).isEqualTo(method);
            assertThat(EventBase.supportedMethods()).contains(method);
            if (method.equals("epoll")) {
                assertThat(h.base.features()).contains(Feature.EDGE_TRIGGERED, Feature.O1, Feature.EARLY_CLOSE);
            }
        }
    }

    @AllBackends
    void closedBaseRejectsLoopAndAdd(String method) {
        Harness h = new Harness(method);
        Event t = h.base.newTimer((e, w) -> {});
        h.close();
        assertThatThrownBy(h.base::dispatch).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(t::add).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @AllBackends
    void closeDropsPendingEventsAndOnceEvents(String method) {
        try (Harness h = new Harness(method)) {
            h.allowPending();
            Harness.Pair p = h.pair();
            h.base.newEvent(p.a(), Event.READ | Event.PERSIST, (e, w) -> {}).add();
            h.base.once(null, Event.TIMEOUT, Duration.ofHours(1), (e, w) -> {});
            assertThat(h.base.pendingEvents()).isEqualTo(2);
        }
    }
}
