package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** libev's {@code ev_io} and {@code ev_signal}: the core's events as watchers. */
class IoSignalWatcherTest {

    @AllBackends
    void ioWatcherIsLevelTriggeredAndStaysActive(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            List<Integer> reads = new ArrayList<>();
            Io io = h.base.io(p.b(), Watcher.READ, (w, r) -> {
                assertThat(r).isEqualTo(Watcher.READ);
                assertThat(w.isActive()).isTrue();
                reads.add(p.b().read(1)); // one byte per callback: readiness persists
                if (reads.size() == 3) w.stop();
            });
            io.start();
            p.a().write((byte) 1, (byte) 2, (byte) 3);
            h.base.run(0);
            assertThat(reads).containsExactly(1, 1, 1);
            assertThat(io.handle()).isSameAs(p.b());
        }
    }

    @AllBackends
    void ioWatcherAndEventShareADescriptor(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger watcher = new AtomicInteger(), event = new AtomicInteger();
            Event e = h.base.newEvent(p.b(), Event.READ, (ev, w) -> event.incrementAndGet());
            Io io = h.base.io(p.b(), Watcher.READ, (w, r) -> {
                watcher.incrementAndGet();
                p.b().read(16);
                w.stop();
            });
            e.add();
            io.start();
            p.a().write((byte) 1);
            h.base.run(0);
            assertThat(watcher).hasValue(1);
            assertThat(event).hasValue(1);
        }
    }

    @AllBackends
    void ioEventsCanOnlyChangeWhileStopped(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger revents = new AtomicInteger();
            Io io = h.base.io(p.b(), Watcher.READ, (w, r) -> {
                revents.set(r);
                w.stop();
            });
            io.start();
            assertThatThrownBy(() -> io.set(Watcher.WRITE)).isInstanceOf(IllegalStateException.class);
            io.stop();
            io.set(Watcher.WRITE);
            assertThat(io.events()).isEqualTo(Watcher.WRITE);
            io.start();
            h.base.run(0);
            assertThat(revents).hasValue(Watcher.WRITE);
            assertThatThrownBy(() -> io.set(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @AllBackends
    void stoppingAPendingIoWatcherDropsItsCallback(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            List<String> ran = new ArrayList<>();
            Io[] both = new Io[2];
            // Both descriptors are readable in the same poll; whichever runs first stops the other.
            both[0] = h.base.io(p.a(), Watcher.READ, (w, r) -> {
                ran.add("a");
                assertThat(both[1].isPending()).isTrue();
                both[1].stop();
                w.stop();
            });
            both[1] = h.base.io(p.b(), Watcher.READ, (w, r) -> {
                ran.add("b");
                assertThat(both[0].isPending()).isTrue();
                both[0].stop();
                w.stop();
            });
            p.a().write((byte) 1);
            p.b().write((byte) 1);
            both[0].start();
            both[1].start();
            h.base.run(0);
            assertThat(ran).hasSize(1);
        }
    }

    @AllBackends
    void signalWatcherIsInvokedPerDelivery(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger revents = new AtomicInteger();
            SignalWatcher w = h.base.signal(Signals.SIGUSR1, (s, r) -> {
                revents.set(r);
                s.stop();
            });
            w.start();
            SignalTest.raise(w.signal());
            h.base.run(0);
            assertThat(revents).hasValue(Watcher.SIGNAL);
            assertThat(w.isActive()).isFalse();
        }
    }
}
