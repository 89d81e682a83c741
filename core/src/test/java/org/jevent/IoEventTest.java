package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Readiness events on descriptors and channels (libevent's "main" and "et" groups). */
class IoEventTest {

    @AllBackends
    void readableAfterPeerWrites(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger what = new AtomicInteger();
            h.base.newEvent(p.b(), Event.READ, (e, w) -> what.set(w)).add();
            p.a().write((byte) 1);
            h.base.dispatch();
            assertThat(what).hasValue(Event.READ);
        }
    }

    @AllBackends
    void anIoEventTakesFewBytes(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            int n = 1000;
            Event[] made = new Event[n];
            EventCallback callback = (e, w) -> {};
            h.base.newEvent(p.b(), Event.READ | Event.PERSIST, callback).close(); // classes loaded first
            long bytes = Allocation.bytes(() -> {
                for (int i = 0; i < n; i++) made[i] = h.base.newEvent(p.b(), Event.READ | Event.PERSIST, callback);
            });
            made[0].add(Duration.ofMinutes(1));
            made[0].del();
            for (Event e : made) e.close();
            // Each connection has two of them; the rarely used fields live in EventExtras.
            assertThat(bytes / n).as("bytes per I/O event").isLessThanOrEqualTo(80);
            assertThat(made[0].extras).as("side object of an event used with a plain timeout").isNull();
        }
    }

    @AllBackends
    void eventsOfOneDescriptorRunInTheOrderAddedAfterRemovals(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            List<Integer> ran = new ArrayList<>();
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                Event e = h.base.newEvent(p.b(), Event.READ, (ev, w) -> ran.add(n));
                e.add();
                events.add(e);
            }
            events.get(1).del();
            events.get(3).del();
            p.a().write((byte) 1);
            h.base.dispatch();
            assertThat(ran).containsExactly(0, 2, 4);
            assertThat(h.base.watchedHandles()).isZero();
        }
    }

    @AllBackends
    void writableAtOnce(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger what = new AtomicInteger();
            h.base.newEvent(p.a(), Event.WRITE, (e, w) -> what.set(w)).add();
            h.base.dispatch();
            assertThat(what).hasValue(Event.WRITE);
        }
    }

    @AllBackends
    void readAndWriteOnOneEventReportBoth(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger what = new AtomicInteger();
            p.a().write((byte) 1);
            h.base.newEvent(p.b(), Event.READ | Event.WRITE, (e, w) -> what.set(w)).add();
            h.base.dispatch();
            assertThat(what).hasValue(Event.READ | Event.WRITE);
        }
    }

    @AllBackends
    void idleDescriptorDoesNotFire(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger what = new AtomicInteger();
            Event e = h.base.newEvent(p.b(), Event.READ, (ev, w) -> what.set(w));
            e.add(Duration.ofMillis(20));
            h.base.dispatch();
            assertThat(what).hasValue(Event.TIMEOUT);
        }
    }

    @AllBackends
    void nonPersistentReadFiresOnceUntilReadded(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger fired = new AtomicInteger();
            Event e = h.base.newEvent(p.b(), Event.READ, (ev, w) -> fired.incrementAndGet());
            e.add();
            p.a().write((byte) 1);
            h.base.dispatch();
            assertThat(fired).hasValue(1);
            assertThat(e.pending(Event.READ)).isZero();
            assertThat(h.base.watchedHandles()).isZero();
        }
    }

    @AllBackends
    void persistentReadFiresForEachChunk(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger fired = new AtomicInteger();
            Event e = h.base.newEvent(p.b(), Event.READ | Event.PERSIST, (ev, w) -> {
                p.b().read(100);
                if (fired.incrementAndGet() == 3) ev.del();
                else p.a().write((byte) 2);
            });
            e.add();
            p.a().write((byte) 1);
            h.base.dispatch();
            assertThat(fired).hasValue(3);
        }
    }

    @AllBackends
    void levelTriggeredRepeatsWhileDataRemains(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger fired = new AtomicInteger();
            Event e = h.base.newEvent(p.b(), Event.READ | Event.PERSIST, (ev, w) -> {
                if (fired.incrementAndGet() == 3) ev.del();
            });
            e.add();
            p.a().write((byte) 1, (byte) 2);
            h.base.dispatch();
            assertThat(fired).hasValue(3);
        }
    }

    @AllBackends
    void edgeTriggeredReportsOnlyNewData(String method) {
        try (Harness h = new Harness(method)) {
            assumeThat(h.base.features()).contains(Feature.EDGE_TRIGGERED);
            Harness.Pair p = h.pair();
            AtomicInteger fired = new AtomicInteger();
            Event e = h.base.newEvent(p.b(), Event.READ | Event.PERSIST | Event.ET, (ev, w) -> fired.incrementAndGet());
            e.add();
            p.a().write((byte) 1, (byte) 2);
            h.base.loop(EventBase.NONBLOCK);
            h.base.loop(EventBase.NONBLOCK);
            h.base.loop(EventBase.NONBLOCK);
            assertThat(fired).hasValue(1);
            p.a().write((byte) 3);
            h.base.loop(EventBase.ONCE);
            assertThat(fired).hasValue(2);
            e.del();
        }
    }

    @AllBackends
    void edgeTriggeredIsRefusedWhereUnsupported(String method) {
        try (Harness h = new Harness(method)) {
            assumeThat(h.base.features()).doesNotContain(Feature.EDGE_TRIGGERED);
            Harness.Pair p = h.pair();
            Event e = h.base.newEvent(p.b(), Event.READ | Event.ET, (ev, w) -> {});
            assertThatThrownBy(e::add).isInstanceOf(UnsupportedOperationException.class);
            assertThat(h.base.watchedHandles()).isZero();
        }
    }

    @AllBackends
    void mixingEdgeAndLevelOnOneHandleIsRefused(String method) {
        try (Harness h = new Harness(method)) {
            assumeThat(h.base.features()).contains(Feature.EDGE_TRIGGERED);
            Harness.Pair p = h.pair();
            Event level = h.base.newEvent(p.b(), Event.READ, (ev, w) -> {});
            Event edge = h.base.newEvent(p.b(), Event.WRITE | Event.ET, (ev, w) -> {});
            level.add();
            assertThatThrownBy(edge::add).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mix");
            level.del();
        }
    }

    @AllBackends
    void severalEventsOnOneHandleEachGetTheirBits(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            List<String> got = new ArrayList<>();
            h.base.newEvent(p.b(), Event.READ, (e, w) -> got.add("r" + w)).add();
            h.base.newEvent(p.b(), Event.WRITE, (e, w) -> got.add("w" + w)).add();
            h.base.newEvent(p.b(), Event.READ, (e, w) -> got.add("r2-" + w)).add();
            p.a().write((byte) 1);
            h.base.dispatch();
            assertThat(got).containsExactlyInAnyOrder("r" + Event.READ, "w" + Event.WRITE, "r2-" + Event.READ);
            assertThat(h.base.watchedHandles()).isZero();
        }
    }

    @AllBackends
    void deletingOneOfTwoEventsKeepsTheOther(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger a = new AtomicInteger(), b = new AtomicInteger();
            Event ea = h.base.newEvent(p.b(), Event.READ, (e, w) -> a.incrementAndGet());
            Event eb = h.base.newEvent(p.b(), Event.READ, (e, w) -> b.incrementAndGet());
            ea.add();
            eb.add();
            ea.del();
            p.a().write((byte) 1);
            h.base.dispatch();
            assertThat(a).hasValue(0);
            assertThat(b).hasValue(1);
        }
    }

    @AllBackends
    void peerCloseWakesReader(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger read = new AtomicInteger(99);
            h.base.newEvent(p.b(), Event.READ, (e, w) -> read.set(p.b().read(10))).add();
            p.a().close();
            h.base.dispatch();
            assertThat(read).hasValue(-1);
        }
    }

    @AllBackends
    void closedEventOnEarlyCloseBackends(String method) {
        try (Harness h = new Harness(method)) {
            assumeThat(h.base.features()).contains(Feature.EARLY_CLOSE);
            Harness.Pair p = h.pair();
            AtomicInteger what = new AtomicInteger();
            p.a().write((byte) 1, (byte) 2, (byte) 3);
            h.base.newEvent(p.b(), Event.CLOSED, (e, w) -> what.set(w)).add(Duration.ofSeconds(5));
            p.a().close();
            h.base.dispatch();
            // Reported without reading the three pending bytes first.
            assertThat(what).hasValue(Event.CLOSED);
        }
    }

    @AllBackends
    void deleteAndReaddInsideACallbackDoesNotSpin(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger fired = new AtomicInteger();
            Event[] holder = new Event[1];
            holder[0] = h.base.newEvent(p.a(), Event.WRITE | Event.PERSIST, (e, w) -> {
                e.del();
                e.add();
                e.del();
                if (fired.incrementAndGet() == 1) h.base.loopExit(Duration.ofMillis(20));
            });
            holder[0].add();
            h.base.dispatch();
            assertThat(fired).hasValue(1);
        }
    }

    @AllBackends
    void activateByHandleRunsWatchingEvents(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger what = new AtomicInteger();
            Event e = h.base.newEvent(p.b(), Event.READ, (ev, w) -> what.set(w));
            e.add();
            h.base.activateByHandle(p.b(), Event.READ | Event.WRITE);
            h.base.dispatch();
            assertThat(what).hasValue(Event.READ);
        }
    }

    @AllBackends
    void manuallyActivatedEventGetsTheGivenBits(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger what = new AtomicInteger();
            Event e = h.base.newTimer((ev, w) -> what.set(w));
            e.activate(Event.READ | Event.WRITE);
            assertThat(e.pending(Event.READ | Event.WRITE)).isEqualTo(Event.READ | Event.WRITE);
            h.base.dispatch();
            assertThat(what).hasValue(Event.READ | Event.WRITE);
        }
    }

    @AllBackends
    void activatingTwiceMergesReasons(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger calls = new AtomicInteger(), what = new AtomicInteger();
            Event e = h.base.newTimer((ev, w) -> {
                calls.incrementAndGet();
                what.set(w);
            });
            e.activate(Event.READ);
            e.activate(Event.WRITE);
            h.base.dispatch();
            assertThat(calls).hasValue(1);
            assertThat(what).hasValue(Event.READ | Event.WRITE);
        }
    }

    @AllBackends
    void deletingAnActiveEventCancelsItsCallback(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger fired = new AtomicInteger();
            Event victim = h.base.newTimer((e, w) -> fired.incrementAndGet());
            Event killer = h.base.newTimer((e, w) -> victim.del());
            killer.activate(Event.TIMEOUT);
            victim.activate(Event.TIMEOUT);
            h.base.dispatch();
            assertThat(fired).hasValue(0);
        }
    }

    @AllBackends
    void callbackMayCloseItsOwnEvent(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            AtomicInteger fired = new AtomicInteger();
            Event e = h.base.newEvent(p.b(), Event.READ | Event.PERSIST, (ev, w) -> {
                fired.incrementAndGet();
                ev.close();
            });
            e.add();
            p.a().write((byte) 1);
            h.base.dispatch();
            assertThat(fired).hasValue(1);
            assertThat(e.isClosed()).isTrue();
        }
    }

    @AllBackends
    void manyIdleHandlesCostNothingPerIteration(String method) {
        try (Harness h = new Harness(method)) {
            List<Harness.Pair> pairs = new ArrayList<>();
            List<Event> events = new ArrayList<>();
            AtomicInteger fired = new AtomicInteger();
            int n = method.equals("select") ? 400 : 4_500; // select stops at FD_SETSIZE; 9,000 fds otherwise
            for (int i = 0; i < n; i++) {
                Harness.Pair p = h.pair();
                pairs.add(p);
                Event e = h.base.newEvent(p.b(), Event.READ | Event.PERSIST, (ev, w) -> {
                    fired.incrementAndGet();
                    ((Harness.End) ev.handle()).read(16);
                });
                e.add();
                events.add(e);
            }
            for (int round = 0; round < 50; round++) {
                pairs.get(round * 7 % n).a().write((byte) 1);
                h.base.loop(EventBase.ONCE);
            }
            // Only the ready handles' callbacks ran: the idle ones were never touched.
            assertThat(fired).hasValue(50);
            events.forEach(Event::del);
        }
    }

    @AllBackends
    void staleReadinessForAReusedSlotIsIgnored(String method) {
        try (Harness h = new Harness(method)) {
            Harness.Pair first = h.pair(), second = h.pair();
            java.util.List<String> fired = new ArrayList<>();
            Harness.Pair[] replacement = new Harness.Pair[1];
            Event[] victim = new Event[1];
            EventCallback killer = (e, w) -> {
                if (!fired.isEmpty()) return;
                fired.add("killer");
                // Drop the other ready handle and reuse its slot (and likely its fd number) at once.
                victim[0].close();
                second.b().close();
                replacement[0] = h.pair();
                h.base.newEvent(replacement[0].b(), Event.READ, (ev, w2) -> fired.add("replacement")).add();
            };
            Event a = h.base.newEvent(first.b(), Event.READ, killer);
            victim[0] = h.base.newEvent(second.b(), Event.READ, killer);
            a.add();
            victim[0].add();
            first.a().write((byte) 1);
            second.a().write((byte) 1);
            h.base.loop(EventBase.ONCE);
            // The replacement had no data: the old handle's readiness must not be delivered to it.
            assertThat(fired).containsExactly("killer");
            h.allowPending();
        }
    }
}
