package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The timer heap against a sorted list: adds, removals from anywhere, reschedules and slot reuse. */
class TimerHeapTest {

    @Test
    void randomOperationsKeepDeadlineOrder() {
        try (EventBase base = EventBase.create()) {
            SplittableRandom rnd = new SplittableRandom(5);
            TimerHeap heap = new TimerHeap();
            List<Event> model = new ArrayList<>();
            List<Event> idle = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) idle.add(base.newTimer((e, w) -> {}));
            for (int step = 0; step < 200_000; step++) {
                int op = rnd.nextInt(10);
                if (op < 4 && !idle.isEmpty()) {
                    Event e = idle.remove(idle.size() - 1);
                    e.deadline = rnd.nextLong(1_000_000);
                    heap.add(e);
                    model.add(e);
                } else if (op < 6 && !model.isEmpty()) {
                    Event e = model.remove(rnd.nextInt(model.size()));
                    heap.remove(e);
                    idle.add(e);
                } else if (op < 8 && !model.isEmpty()) {
                    Event e = model.get(rnd.nextInt(model.size()));
                    e.deadline = rnd.nextLong(1_000_000);
                    heap.reschedule(e);
                } else if (!model.isEmpty()) {
                    Event first = heap.peek();
                    long min = model.stream().mapToLong(e -> e.deadline).min().orElseThrow();
                    assertThat(heap.peekDeadline()).isEqualTo(min);
                    assertThat(first.deadline).isEqualTo(min);
                    heap.remove(first);
                    model.remove(first);
                    idle.add(first);
                }
                assertThat(heap.size()).isEqualTo(model.size());
            }
            for (Event e : idle) assertThat(TimerHeap.contains(e)).isFalse();
            model.sort(Comparator.comparingLong(e -> e.deadline));
            for (Event e : model) assertThat(TimerHeap.contains(e)).isTrue();
            for (Event expected : model) {
                assertThat(heap.peek().deadline).isEqualTo(expected.deadline);
                heap.remove(heap.peek());
            }
            assertThat(heap.peek()).isNull();
            assertThat(heap.size()).isZero();
        }
    }

    @Test
    void rebuildReordersAfterDeadlinesChange() {
        try (EventBase base = EventBase.create()) {
            TimerHeap heap = new TimerHeap();
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Event e = base.newTimer((x, w) -> {});
                e.deadline = i;
                heap.add(e);
                events.add(e);
            }
            for (Event e : events) e.deadline = 1_000 - e.deadline; // reverses the order
            heap.rebuild();
            for (int i = 99; i >= 0; i--) {
                assertThat(heap.peek()).isSameAs(events.get(i));
                heap.remove(heap.peek());
            }
        }
    }
}
