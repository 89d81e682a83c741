package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** libev's {@code ev_timer}: after/repeat, again, remaining, and the manual's edge cases. */
class TimerWatcherTest {

    @AllBackends
    void oneShotFiresNeverEarlyAndIsStoppedInItsCallback(String method) {
        try (Harness h = new Harness(method)) {
            long start = System.nanoTime();
            AtomicLong firedAt = new AtomicLong();
            AtomicBoolean activeInCallback = new AtomicBoolean(true);
            AtomicInteger revents = new AtomicInteger();
            Timer t = h.base.timer(Duration.ofMillis(25), Duration.ZERO, (w, r) -> {
                firedAt.set(System.nanoTime());
                activeInCallback.set(w.isActive());
                revents.set(r);
            });
            t.start();
            assertThat(t.isActive()).isTrue();
            assertThat(h.base.run(0)).isFalse();
            assertThat(firedAt.get() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(25));
            assertThat(activeInCallback).isFalse();
            assertThat(revents).hasValue(Watcher.TIMER);
        }
    }

    @AllBackends
    void repeatsDoNotDrift(String method) {
        try (Harness h = new Harness(method)) {
            long repeat = TimeUnit.MILLISECONDS.toNanos(40);
            AtomicLong origin = new AtomicLong();
            List<Long> deadlines = new ArrayList<>();
            Timer t = h.base.timer(Duration.ofNanos(repeat), Duration.ofNanos(repeat), (w, r) -> {
                // A slow callback must not push the next deadline back.
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
                while (System.nanoTime() < until) Thread.onSpinWait();
                deadlines.add(w.base().now() + w.remaining().toNanos() - origin.get());
                if (deadlines.size() == 4) w.stop();
            });
            // Started from a callback, the timer counts from the cached loop time, which we know.
            Timer starter = h.base.timer(Duration.ZERO, Duration.ZERO, (w, r) -> {
                origin.set(w.base().now());
                t.start();
            });
            starter.start();
            h.base.run(0);
            assertThat(deadlines).containsExactly(2 * repeat, 3 * repeat, 4 * repeat, 5 * repeat);
        }
    }

    @AllBackends
    void restartingFromItsOwnCallback(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            Timer t = h.base.timer(Duration.ofMillis(1), Duration.ZERO, (w, r) -> {
                if (fired.incrementAndGet() < 3) w.start();
            });
            t.start();
            h.base.run(0);
            assertThat(fired).hasValue(3);
            assertThat(t.isActive()).isFalse();
        }
    }

    @AllBackends
    void stoppingAPendingTimerDropsItsCallback(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger secondFired = new AtomicInteger();
            Timer second = h.base.timer(Duration.ZERO, Duration.ZERO, (w, r) -> secondFired.incrementAndGet());
            AtomicBoolean wasPending = new AtomicBoolean();
            // Started first with the same deadline, so it runs first and finds the other pending.
            Timer first = h.base.timer(Duration.ZERO, Duration.ZERO, (w, r) -> {
                wasPending.set(second.isPending());
                second.stop();
            });
            first.start();
            second.start();
            h.base.run(0);
            assertThat(wasPending).isTrue();
            assertThat(second.isPending()).isFalse();
            assertThat(secondFired).hasValue(0);
        }
    }

    @AllBackends
    void againRestartsARepeatingTimerAndStopsAOneShot(String method) {
        try (Harness h = new Harness(method)) {
            Timer idle = h.base.timer(Duration.ofHours(1), Duration.ofMinutes(1), (w, r) -> {});
            idle.again(); // not active yet: started with the repeat
            assertThat(idle.isActive()).isTrue();
            assertThat(idle.remaining()).isLessThanOrEqualTo(Duration.ofMinutes(1)).isGreaterThan(Duration.ofSeconds(59));

            Timer once = h.base.timer(Duration.ofHours(1), Duration.ZERO, (w, r) -> {});
            once.start();
            once.again();
            assertThat(once.isActive()).isFalse();

            idle.feed(Watcher.TIMER);
            assertThat(idle.isPending()).isTrue();
            idle.again();
            assertThat(idle.isPending()).as("again clears the pending callback").isFalse();
            idle.stop();
            assertThat(idle.remaining()).as("stopped: the configured delay").isEqualTo(Duration.ofHours(1));
        }
    }

    @AllBackends
    void againOnEveryActivityPostponesTheTimeout(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger activity = new AtomicInteger();
            AtomicLong timedOutAt = new AtomicLong();
            long start = System.nanoTime();
            Timer timeout = h.base.timer(Duration.ZERO, Duration.ofMillis(30), (w, r) -> {
                timedOutAt.set(System.nanoTime());
                w.stop();
            });
            Timer ticks = h.base.timer(Duration.ofMillis(10), Duration.ofMillis(10), (w, r) -> {
                timeout.again();
                if (activity.incrementAndGet() == 5) w.stop();
            });
            timeout.again();
            ticks.start();
            h.base.run(0);
            // The timeout fired 30 ms after the last activity, at 50 ms or later.
            assertThat(timedOutAt.get() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(80));
        }
    }

    @AllBackends
    void repeatCanChangeWhileRunning(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            Timer t = h.base.timer(Duration.ofMillis(1), Duration.ofMillis(1), (w, r) -> {
                if (fired.incrementAndGet() == 2) w.repeat(Duration.ZERO);
            });
            t.start();
            h.base.run(0);
            assertThat(fired).as("stops when it next fires after repeat became zero").hasValue(3);
            assertThat(t.repeat()).isZero();
        }
    }

    @AllBackends
    void setNeedsAStoppedTimer(String method) {
        try (Harness h = new Harness(method)) {
            Timer t = h.base.timer(Duration.ofHours(1), Duration.ZERO, (w, r) -> {});
            t.start();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.set(Duration.ZERO, Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class);
            t.stop();
            t.set(Duration.ofMillis(1), Duration.ZERO);
            t.start();
            h.base.run(0);
            assertThat(t.isActive()).isFalse();
        }
    }

    @AllBackends
    void startStopAndAgainAllocateNothing(String method) {
        try (Harness h = new Harness(method)) {
            Timer t = h.base.timer(Duration.ofHours(1), Duration.ofHours(1), (w, r) -> {});
            Runnable work = () -> {
                for (int i = 0; i < 10_000; i++) {
                    t.start();
                    t.again();
                    t.stop();
                }
            };
            work.run(); // warm up: grow the heap array, compile
            assertThat(Allocation.bytes(work)).isLessThan(1024);
        }
    }
}
