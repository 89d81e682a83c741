package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Signal events (libevent's "signal" group). */
class SignalTest {

    static void raise(int signo) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signo, Long.toString(ProcessHandle.current().pid()))
                    .inheritIO().start();
            assertThat(kill.waitFor()).isZero();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @AllBackends
    void signalIsDeliveredOnTheLoopThread(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger what = new AtomicInteger();
            AtomicInteger onLoop = new AtomicInteger();
            Event e = h.base.newSignal(Signals.SIGUSR1, (ev, w) -> {
                what.set(w);
                if (h.base.inLoopThread()) onLoop.incrementAndGet();
                ev.del();
            });
            e.add();
            assertThat(e.pending(Event.SIGNAL)).isEqualTo(Event.SIGNAL);
            raise(Signals.SIGUSR1);
            h.base.dispatch();
            assertThat(what).hasValue(Event.SIGNAL);
            assertThat(onLoop).hasValue(1);
            assertThat(e.fd()).isEqualTo(Signals.SIGUSR1);
        }
    }

    @AllBackends
    void severalEventsForOneSignal(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger a = new AtomicInteger(), b = new AtomicInteger();
            Event ea = h.base.newSignal(Signals.SIGWINCH, (ev, w) -> a.incrementAndGet());
            Event eb = h.base.newSignal(Signals.SIGWINCH, (ev, w) -> {
                b.incrementAndGet();
                ea.del();
                ev.del();
            });
            ea.add();
            eb.add();
            raise(Signals.SIGWINCH);
            h.base.dispatch();
            assertThat(a.get() + b.get()).isEqualTo(2);
        }
    }

    @AllBackends
    void everyBaseWatchingASignalGetsIt(String method) {
        try (Harness h1 = new Harness(method); Harness h2 = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            h1.base.newSignal(Signals.SIGUSR1, (ev, w) -> {
                fired.incrementAndGet();
                ev.del();
            }).add();
            h2.base.newSignal(Signals.SIGUSR1, (ev, w) -> {
                fired.incrementAndGet();
                ev.del();
            }).add();
            raise(Signals.SIGUSR1);
            h1.base.dispatch();
            h2.base.dispatch();
            assertThat(fired).hasValue(2);
        }
    }

    @AllBackends
    void deletedSignalEventIsNotCalled(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            Event e = h.base.newSignal(Signals.SIGUSR1, (ev, w) -> fired.incrementAndGet());
            e.add();
            e.del();
            Event keep = h.base.newSignal(Signals.SIGUSR1, (ev, w) -> ev.del());
            keep.add();
            raise(Signals.SIGUSR1);
            h.base.dispatch();
            assertThat(fired).hasValue(0);
        }
    }

    @AllBackends
    void signalWithTimeoutTimesOut(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger what = new AtomicInteger();
            Event e = h.base.newSignal(Signals.SIGUSR1, (ev, w) -> {
                what.set(w);
                ev.del();
            });
            e.add(Duration.ofMillis(10));
            h.base.dispatch();
            assertThat(what).hasValue(Event.TIMEOUT);
        }
    }

    @AllBackends
    void activateBySignalRunsWatchers(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            h.base.newSignal(Signals.SIGUSR2, (ev, w) -> {
                fired.incrementAndGet();
                ev.del();
            }).add();
            h.base.activateBySignal(Signals.SIGUSR2);
            h.base.dispatch();
            assertThat(fired).hasValue(1);
        }
    }

    @AllBackends
    void unknownOrReservedSignalIsRefused(String method) {
        try (Harness h = new Harness(method)) {
            assertThatThrownBy(() -> h.base.newSignal(64, (e, w) -> {})).isInstanceOf(IllegalArgumentException.class);
            Event reserved = h.base.newSignal(Signals.SIGQUIT, (ev, w) -> {});
            assertThatThrownBy(reserved::add).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIGQUIT");
            assertThat(reserved.pending(Event.SIGNAL)).isZero();
        }
    }
}
