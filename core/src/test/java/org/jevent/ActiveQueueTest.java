package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The active queue against a deque: FIFO order, removals from anywhere, growth across holes. */
class ActiveQueueTest {

    @Test
    void randomOperationsKeepFifoOrder() {
        try (EventBase base = EventBase.create()) {
            SplittableRandom rnd = new SplittableRandom(3);
            ActiveQueue queue = new ActiveQueue();
            ArrayDeque<Event> model = new ArrayDeque<>();
            List<Event> idle = new ArrayList<>();
            for (int i = 0; i < 500; i++) idle.add(base.newTimer((e, w) -> {}));
            for (int step = 0; step < 100_000; step++) {
                int op = rnd.nextInt(10);
                if (op < 5 && !idle.isEmpty()) {
                    Event e = idle.remove(rnd.nextInt(idle.size()));
                    queue.addLast(e);
                    model.addLast(e);
                } else if (op < 7 && !model.isEmpty()) {
                    Event e = new ArrayList<>(model).get(rnd.nextInt(model.size()));
                    queue.remove(e);
                    model.remove(e);
                    idle.add(e);
                } else {
                    Event e = queue.pollFirst();
                    assertThat(e).isSameAs(model.pollFirst());
                    if (e != null) idle.add(e);
                }
                assertThat(queue.isEmpty()).isEqualTo(model.isEmpty());
            }
            List<Event> seen = new ArrayList<>();
            queue.forEach(seen::add);
            assertThat(seen).containsExactlyElementsOf(model);
            for (Event e : idle) assertThat(e.activeIndex).isEqualTo(-1);
        }
    }

    @Test
    void activatingAndCancellingWithoutPollingKeepsTheRingSmall() {
        try (EventBase base = EventBase.create()) {
            ActiveQueue queue = new ActiveQueue();
            Event e = base.newTimer((x, w) -> {});
            Runnable churn = () -> {
                for (int i = 0; i < 100_000; i++) {
                    queue.addLast(e);
                    queue.remove(e);
                }
            };
            churn.run(); // warm-up: the ring settles at its size
            // Only holes are left each time the ring fills: they are closed in place, so the
            // ring neither grows towards 100,000 elements nor is rebuilt.
            assertThat(Allocation.bytes(churn)).isZero();
            assertThat(queue.pollFirst()).isNull();
        }
    }

    @Test
    void growingSqueezesOutHoles() {
        try (EventBase base = EventBase.create()) {
            ActiveQueue queue = new ActiveQueue();
            List<Event> kept = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Event e = base.newTimer((x, w) -> {});
                queue.addLast(e);
                if (i % 3 == 0) queue.remove(e);
                else kept.add(e);
            }
            for (Event expected : kept) assertThat(queue.pollFirst()).isSameAs(expected);
            assertThat(queue.pollFirst()).isNull();
            assertThat(queue.isEmpty()).isTrue();
        }
    }
}
