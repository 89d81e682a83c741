package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Priorities with libevent's strict lock-out, and the max-dispatch limits. */
class PriorityTest {

    private static Harness withPriorities(String method, int n) {
        return new Harness(EventBaseConfig.builder().method(method).priorities(n));
    }

    @AllBackends
    void defaultPriorityIsTheMiddle(String method) {
        try (Harness h = withPriorities(method, 5)) {
            assertThat(h.base.priorities()).isEqualTo(5);
            assertThat(h.base.newTimer((e, w) -> {}).priority()).isEqualTo(2);
        }
    }

    @AllBackends
    void urgentLevelRunsFirst(String method) {
        try (Harness h = withPriorities(method, 3)) {
            List<Integer> order = new ArrayList<>();
            for (int prio : new int[] {2, 0, 1}) {
                Event e = h.base.newTimer((ev, w) -> order.add(prio));
                e.priority(prio);
                e.activate(Event.TIMEOUT);
            }
            h.base.dispatch();
            assertThat(order).containsExactly(0, 1, 2);
        }
    }

    @AllBackends
    void strictLockOutStarvesLessUrgentEvents(String method) {
        try (Harness h = withPriorities(method, 2)) {
            AtomicInteger urgent = new AtomicInteger(), lazy = new AtomicInteger();
            Event hot = h.base.newTimer((e, w) -> {
                if (urgent.incrementAndGet() < 10) e.activate(Event.TIMEOUT);
            });
            hot.priority(0);
            Event cold = h.base.newTimer((e, w) -> {
                lazy.incrementAndGet();
                assertThat(urgent).hasValue(10);
            });
            cold.priority(1);
            cold.activate(Event.TIMEOUT);
            hot.activate(Event.TIMEOUT);
            h.base.dispatch();
            assertThat(urgent).hasValue(10);
            assertThat(lazy).hasValue(1);
        }
    }

    @AllBackends
    void priorityOutOfRangeOrOnActiveEventIsRefused(String method) {
        try (Harness h = withPriorities(method, 2)) {
            Event e = h.base.newTimer((ev, w) -> {});
            assertThatThrownBy(() -> e.priority(2)).isInstanceOf(IllegalArgumentException.class);
            e.activate(Event.TIMEOUT);
            assertThatThrownBy(() -> e.priority(0)).isInstanceOf(IllegalStateException.class);
            e.del();
        }
    }

    @AllBackends
    void priorityInitOnlyWhileIdle(String method) {
        try (Harness h = new Harness(method)) {
            h.base.priorityInit(4);
            assertThat(h.base.priorities()).isEqualTo(4);
            Event e = h.base.newTimer((ev, w) -> {});
            e.add(Duration.ofHours(1));
            assertThatThrownBy(() -> h.base.priorityInit(2)).isInstanceOf(IllegalStateException.class);
            e.del();
            assertThatThrownBy(() -> h.base.priorityInit(257)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @AllBackends
    void maxCallbacksLetsTheLoopPollBetweenBatches(String method) {
        EventBaseConfig.Builder config = EventBaseConfig.builder().method(method).priorities(2)
                .maxDispatchInterval(null, 2, 0);
        try (Harness h = new Harness(config)) {
            Harness.Pair p = h.pair();
            List<String> order = new ArrayList<>();
            Event reader = h.base.newEvent(p.b(), Event.READ, (e, w) -> order.add("io"));
            reader.priority(1);
            reader.add();
            for (int i = 0; i < 4; i++) {
                int n = i;
                Event e = h.base.newTimer((ev, w) -> {
                    order.add("t" + n);
                    if (n == 0) p.a().write((byte) 1);
                });
                e.priority(1);
                e.activate(Event.TIMEOUT);
            }
            h.base.dispatch();
            // After two callbacks the loop polls and queues the read behind the remaining timers.
            assertThat(order).containsExactly("t0", "t1", "t2", "t3", "io");
        }
    }
}
