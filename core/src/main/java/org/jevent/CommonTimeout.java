package org.jevent;

import java.time.Duration;

/**
 * A shared timeout duration ({@code event_base_init_common_timeout}): events added with it
 * wait in one FIFO queue that takes a single timer-heap entry, so adding and removing cost
 * O(1) however many there are. Worth it when thousands of events use one duration (idle
 * timeouts of connections, say). Obtain it with {@link EventBase#commonTimeout(Duration)} and
 * pass it to {@link Event#add(CommonTimeout)}.
 */
public final class CommonTimeout {
    final EventBase base;
    final long nanos;
    final EventList queue = new EventList();
    /** The queue's one heap entry, due when the head of the queue is. */
    final Event timer;

    CommonTimeout(EventBase base, long nanos) {
        this.base = base;
        this.nanos = nanos;
        this.timer = Event.internal(base, this);
    }

    /** The duration. */
    public Duration duration() {
        return Duration.ofNanos(nanos);
    }

    /** The base this timeout belongs to. */
    public EventBase base() {
        return base;
    }

    /** Number of events waiting on it. */
    public int size() {
        return queue.size();
    }

    /** Queues {@code e} (deadline set) in deadline order; usually at the tail. */
    void insert(Event e) {
        e.extras().commonTimeout = this; // made before the queue links through it
        Event at = queue.last();
        while (at != null && at.deadline > e.deadline) at = queue.previous(at);
        queue.addAfter(at, e);
        if (queue.first() == e) rearm();
    }

    void remove(Event e) {
        boolean wasHead = queue.first() == e;
        queue.remove(e);
        e.extras.commonTimeout = null;
        if (wasHead) rearm();
    }

    /** Points the heap entry at the head's deadline, or takes it out when the queue is empty. */
    void rearm() {
        Event head = queue.first();
        TimerHeap heap = base.timers;
        if (head == null) {
            if (TimerHeap.contains(timer)) heap.remove(timer);
            return;
        }
        timer.deadline = head.deadline;
        if (TimerHeap.contains(timer)) heap.reschedule(timer);
        else heap.add(timer);
    }

    @Override
    public String toString() {
        return "CommonTimeout[" + duration() + ", " + size() + " waiting]";
    }
}
