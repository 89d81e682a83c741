package org.jevent;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One {@link EventBase} run by one thread of an {@link EventBaseGroup}, with a task queue
 * other threads use to reach it (the per-thread {@code event_base} of a libevent
 * multi-threaded server, plus memcached's notify pipe).
 *
 * <p>The thread runs the base with {@link EventBase#NO_EXIT_ON_EMPTY} until the group shuts
 * down; then it runs it until no event is pending or active (in-flight work done), or until
 * the group's timeout breaks it, and closes the base. Handles registered on the base are not
 * closed by that: whoever opened them closes them, normally from their callbacks.
 *
 * <p>An exception thrown by a callback or a task goes to the thread's
 * {@link Thread.UncaughtExceptionHandler}; the loop carries on.
 */
public final class EventLoop implements Executor {
    private final int index;
    private final EventBase base;
    private final Thread thread;
    private final TaskQueue tasks;
    private final Event breaker;
    private volatile boolean stopping;
    private volatile boolean forced;

    EventLoop(int index, EventBase base) {
        this.index = index;
        this.base = base;
        this.thread = new Thread(this::run, "jevent-loop-" + index);
        this.tasks = new TaskQueue(base, this::report);
        // Activated (not added) to break the loop: an activation waits in the active queue
        // even when the loop is between two runs, where a loopBreak() would be lost.
        this.breaker = base.newTimer((e, what) -> base.loopBreak());
    }

    /** This loop's position in its group, from 0. */
    public int index() {
        return index;
    }

    /** The base this loop runs; register its events from {@link #execute} tasks or its callbacks. */
    public EventBase base() {
        return base;
    }

    /** Whether the caller is this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on this loop's thread, in the order tasks were given; from any thread,
     * without locking. Tasks run between event callbacks, up to 1024 per wake-up.
     *
     * @throws RejectedExecutionException once the loop has finished shutting down
     */
    @Override
    public void execute(Runnable task) {
        if (!tasks.offer(task)) throw new RejectedExecutionException(this + " has shut down");
    }

    void start() {
        thread.start();
    }

    /** Runs the hooks on the loop thread, then leaves the endless phase for the draining one. */
    void beginShutdown(List<Consumer<EventLoop>> hooks) {
        execute(() -> {
            for (Consumer<EventLoop> hook : hooks) {
                try {
                    hook.accept(this);
                } catch (RuntimeException failure) {
                    report(thread, failure);
                }
            }
            stopping = true;
            base.loopBreak();
        });
    }

    /** Breaks the loop whatever is still pending. */
    void force() {
        forced = true;
        try {
            breaker.activate(Event.TIMEOUT);
        } catch (IllegalStateException baseClosed) {
            // the loop has just finished by itself
        }
    }

    /** Waits for the thread up to {@code nanos}; true once it has ended. */
    boolean awaitTermination(long nanos) throws InterruptedException {
        if (nanos > 0) thread.join(Math.max(1, nanos / 1_000_000));
        return !thread.isAlive();
    }

    void join() throws InterruptedException {
        thread.join();
    }

    private void run() {
        while (!stopping && !forced) runReporting(EventBase.NO_EXIT_ON_EMPTY);
        while (!forced) {
            runReporting(0);
            if (forced) break;
            if (!tasks.tryClose()) {
                // A producer is between claiming the wake-up and activating it.
                Thread.onSpinWait();
                continue;
            }
            tasks.runAll();
            if (base.pendingEvents() == 0 && base.activeEvents() == 0) break;
            tasks.reopen();
        }
        tasks.forceClose();
        base.close();
    }

    private void runReporting(int flags) {
        try {
            base.loop(flags);
        } catch (RuntimeException | Error failure) {
            report(thread, failure);
        }
    }

    private void report(Thread t, Throwable failure) {
        thread.getUncaughtExceptionHandler().uncaughtException(t, failure);
    }

    @Override
    public String toString() {
        return "EventLoop[" + index + ", " + base.method() + "]";
    }
}
