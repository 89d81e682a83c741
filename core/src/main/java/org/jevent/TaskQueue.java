package org.jevent;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tasks handed to one loop from any thread (memcached's notify + sync layer): a lock-free
 * multi-producer queue drained on the loop thread, and one wake-up per batch. The first
 * producer after a drain activates a never-added event; later producers see the wake-up
 * pending and only enqueue. The event is activated, never added, so it does not keep an
 * otherwise idle loop alive.
 *
 * <p>States: IDLE (the next producer wakes the loop), WAKING (a wake-up is on its way),
 * CLOSED (the loop is gone or going; producers take their task back and are refused).
 */
final class TaskQueue {
    private static final int IDLE = 0, WAKING = 1, CLOSED = 2;
    /** Tasks run per wake-up before the loop polls again, so tasks cannot starve I/O. */
    private static final int BATCH = 1024;

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final Event wakeup;
    private final Thread.UncaughtExceptionHandler failures;

    TaskQueue(EventBase base, Thread.UncaughtExceptionHandler failures) {
        this.wakeup = base.newTimer(this::onWakeup);
        this.failures = failures;
    }

    /** Queues {@code task} for the loop; false when the queue is closed (it will not run). */
    boolean offer(Runnable task) {
        tasks.offer(task);
        if (state.get() == IDLE && state.compareAndSet(IDLE, WAKING)) wake();
        // Closed meanwhile: whoever removes the task decides; if the loop took it, it runs.
        return state.get() != CLOSED || !tasks.remove(task);
    }

    private void wake() {
        try {
            wakeup.activate(Event.TIMEOUT);
        } catch (IllegalStateException baseClosed) {
            // A forced shutdown closed the base; offer() sees CLOSED and takes the task back.
        }
    }

    private void onWakeup(Event e, int what) {
        // Back to IDLE before draining: a task queued after this point wakes the loop again.
        state.compareAndSet(WAKING, IDLE);
        if (runQueued(BATCH) && state.compareAndSet(IDLE, WAKING)) wake();
    }

    /** Runs up to {@code max} queued tasks; true when some are left. */
    boolean runQueued(int max) {
        for (int i = 0; i < max; i++) {
            Runnable task = tasks.poll();
            if (task == null) return false;
            try {
                task.run();
            } catch (RuntimeException | Error failure) {
                failures.uncaughtException(Thread.currentThread(), failure);
            }
        }
        return !tasks.isEmpty();
    }

    /** Runs every queued task, including those queued while running. */
    void runAll() {
        while (runQueued(BATCH)) {
            // keep going
        }
    }

    /** Refuses further tasks, unless a wake-up is in flight (then false: run the loop again). */
    boolean tryClose() {
        return state.compareAndSet(IDLE, CLOSED);
    }

    /** Accepts tasks again after {@link #tryClose}. */
    void reopen() {
        state.set(IDLE);
    }

    /** Refuses further tasks whatever is in flight; tasks still queued never run. */
    void forceClose() {
        state.set(CLOSED);
    }
}
