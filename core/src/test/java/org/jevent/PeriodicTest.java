package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** libev's {@code ev_periodic}: absolute, regular and manual modes, and wall-clock changes. */
class PeriodicTest {
    private static final Instant T0 = Instant.parse("2030-01-01T10:20:30.5Z");

    private static MutableClock clockOf(Harness h) {
        MutableClock clock = new MutableClock(T0);
        h.base.wallClock(clock);
        return clock;
    }

    @AllBackends
    void absoluteFiresOnceWhenTheWallClockGetsThere(String method) {
        try (Harness h = new Harness(method)) {
            MutableClock clock = clockOf(h);
            AtomicInteger fired = new AtomicInteger();
            AtomicInteger revents = new AtomicInteger();
            Periodic p = h.base.periodic(T0.plusSeconds(3600), (w, r) -> {
                fired.incrementAndGet();
                revents.set(r);
            });
            p.start();
            assertThat(p.at()).isEqualTo(T0.plusSeconds(3600));
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(fired).hasValue(0);

            clock.set(T0.plusSeconds(3601)); // the clock is set forward past the time
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(fired).hasValue(1);
            assertThat(revents).hasValue(Watcher.PERIODIC);
            assertThat(p.isActive()).as("an absolute periodic stops").isFalse();
        }
    }

    @AllBackends
    void wallNowFollowsASetClockWithoutPeriodicsWithinHalfASecond(String method) {
        try (Harness h = new Harness(method)) {
            MutableClock clock = clockOf(h);
            Event keepAlive = h.base.newTimer((e, w) -> {});
            keepAlive.add(Duration.ofHours(1));
            h.base.run(EventBase.RUN_NOWAIT);
            long setAt = System.nanoTime();
            clock.set(T0.plusSeconds(3600));
            long target = Periodic.epochNanos(T0.plusSeconds(3599));
            while (h.base.wallNow() < target && System.nanoTime() - setAt < 5_000_000_000L) h.base.run(EventBase.RUN_NOWAIT);
            assertThat(h.base.wallNow()).isGreaterThanOrEqualTo(target);
            // The loop reads the wall clock every half second without periodics (plus scheduling slack).
            assertThat(System.nanoTime() - setAt).isLessThan(2_000_000_000L);
            keepAlive.del();
        }
    }

    @AllBackends
    void absoluteWaitsLongerWhenTheClockIsSetBack(String method) {
        try (Harness h = new Harness(method)) {
            MutableClock clock = clockOf(h);
            AtomicInteger fired = new AtomicInteger();
            Periodic p = h.base.periodic(T0.plusSeconds(10), (w, r) -> fired.incrementAndGet());
            p.start();
            clock.set(T0.minusSeconds(3600));
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(p.at()).isEqualTo(T0.plusSeconds(10));
            clock.set(T0.plusSeconds(9));
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(fired).hasValue(0);
            p.stop();
        }
    }

    @AllBackends
    void regularIsAlignedToTheWallClock(String method) {
        try (Harness h = new Harness(method)) {
            clockOf(h);
            Periodic hourly = h.base.periodic(Instant.EPOCH, Duration.ofHours(1), (w, r) -> {});
            hourly.start();
            assertThat(hourly.at()).isEqualTo(Instant.parse("2030-01-01T11:00:00Z"));
            Periodic offset = h.base.periodic(Instant.EPOCH.plusSeconds(90), Duration.ofMinutes(10), (w, r) -> {});
            offset.start();
            assertThat(offset.at()).isEqualTo(Instant.parse("2030-01-01T10:21:30Z"));
            hourly.stop();
            offset.stop();
        }
    }

    @AllBackends
    void regularIsRescheduledWhenTheClockIsSet(String method) {
        try (Harness h = new Harness(method)) {
            MutableClock clock = clockOf(h);
            AtomicInteger fired = new AtomicInteger();
            Periodic p = h.base.periodic(Instant.EPOCH, Duration.ofMinutes(1), (w, r) -> fired.incrementAndGet());
            p.start();
            assertThat(p.at()).isEqualTo(Instant.parse("2030-01-01T10:21:00Z"));

            clock.set(Instant.parse("2030-01-01T08:00:10Z")); // two hours back
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(p.at()).as("rescheduled, not waiting two hours").isEqualTo(Instant.parse("2030-01-01T08:01:00Z"));

            clock.set(Instant.parse("2030-01-01T09:00:05Z")); // an hour forward: 59 times skipped
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(p.at()).isEqualTo(Instant.parse("2030-01-01T09:01:00Z"));
            assertThat(fired).as("a jump reschedules; missed times are not caught up").hasValue(0);
            assertThat(p.isActive()).isTrue();
            p.stop();
        }
    }

    @AllBackends
    void regularFiresAtEachAlignedTimeNeverBefore(String method) {
        try (Harness h = new Harness(method)) {
            long interval = 20_000_000L;
            AtomicLong due = new AtomicLong();
            List<Long> lateness = new ArrayList<>();
            Periodic p = h.base.periodic(Instant.EPOCH, Duration.ofNanos(interval), (w, r) -> {
                lateness.add(EventBase.time() - due.get());
                due.set(Periodic.epochNanos(w.at()));
                if (lateness.size() == 3) w.stop();
            });
            p.start();
            due.set(Periodic.epochNanos(p.at()));
            assertThat(due.get() % interval).as("aligned").isZero();
            h.base.run(0);
            assertThat(lateness).hasSize(3).allSatisfy(l -> assertThat(l).isNotNegative());
        }
    }

    @AllBackends
    void reschedulerGivesEachTime(String method) {
        try (Harness h = new Harness(method)) {
            MutableClock clock = clockOf(h);
            List<Long> asked = new ArrayList<>();
            // Every 30 seconds of the wall clock, as a function.
            Periodic p = h.base.periodic((w, now) -> {
                asked.add(now);
                return (Math.floorDiv(now, 30_000_000_000L) + 1) * 30_000_000_000L;
            }, (w, r) -> {});
            p.start();
            assertThat(p.at()).isEqualTo(Instant.parse("2030-01-01T10:21:00Z"));
            clock.set(Instant.parse("2030-01-01T10:21:00.2Z"));
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(p.at()).isEqualTo(Instant.parse("2030-01-01T10:21:30Z"));
            assertThat(asked).hasSize(2);
            // ev_now, a hair behind the clock (it never runs ahead of it).
            assertThat(asked.get(1)).isCloseTo(Periodic.epochNanos(Instant.parse("2030-01-01T10:21:00.2Z")),
                    org.assertj.core.data.Offset.offset(1_000_000L));
            p.stop();
        }
    }

    @AllBackends
    void reschedulerMustMoveForward(String method) {
        try (Harness h = new Harness(method)) {
            Periodic p = h.base.periodic((w, now) -> now, (w, r) -> {});
            assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class);
            assertThat(p.isActive()).isFalse();
        }
    }

    @AllBackends
    void neverFiresBeforeItsTimeOnTheRealClock(String method) {
        try (Harness h = new Harness(method)) {
            Instant at = Instant.now().plusMillis(30);
            AtomicLong firedAt = new AtomicLong();
            h.base.periodic(at, (w, r) -> firedAt.set(EventBase.time())).start();
            h.base.run(0);
            assertThat(firedAt.get()).isGreaterThanOrEqualTo(Periodic.epochNanos(at));
        }
    }

    @AllBackends
    void againRecomputesFromNow(String method) {
        try (Harness h = new Harness(method)) {
            MutableClock clock = clockOf(h);
            Periodic p = h.base.periodic(Instant.EPOCH, Duration.ofMinutes(1), (w, r) -> {});
            p.start();
            clock.set(Instant.parse("2030-01-01T10:20:40Z")); // small drift: no reschedule on its own
            p.again();
            assertThat(p.at()).isEqualTo(Instant.parse("2030-01-01T10:21:00Z"));
            clock.set(Instant.parse("2030-01-01T12:00:00.5Z"));
            p.again();
            assertThat(p.at()).isEqualTo(Instant.parse("2030-01-01T12:01:00Z"));
            p.stop();
        }
    }
}
