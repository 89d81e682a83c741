package org.jevent;

import java.util.Objects;
import java.util.OptionalInt;
import org.jevent.internal.linux.LibC;
import org.jevent.internal.linux.Pidfd;
import org.jevent.net.ErrnoException;

/**
 * A child watcher ({@code ev_child}): invoked with {@link #CHILD} when a process exits.
 *
 * <p>The JVM reaps the processes it starts (a reaper thread waits for each), so jevent cannot
 * call {@code waitpid} itself as libev does; what it can learn depends on what it watches:
 * <ul>
 *   <li><b>A {@link Process}</b> (started with {@code ProcessBuilder}), on every backend:
 *       the JVM's {@link Process#onExit()} completes on a JVM thread after the reaper has the
 *       status, and {@link Async#send} brings that to the loop. {@link #exitValue()} is then
 *       the real {@link Process#exitValue()}.</li>
 *   <li><b>A {@link ProcessHandle}</b> (any pid, child or not): on the descriptor backends
 *       (epoll, poll, select) a pidfd ({@code pidfd_open}, Linux 5.3) is watched like any
 *       descriptor and polls readable the moment the process exits; elsewhere, or where the
 *       kernel refuses pidfds, {@link ProcessHandle#onExit()} is forwarded through an
 *       {@link Async} (for processes that are not the JVM's children it polls, so it is
 *       late by up to a few hundred milliseconds). There is no exit status:
 *       {@link #exitValue()} is empty, since whoever reaps the process gets it.</li>
 * </ul>
 * A process that exited before {@link #start} is reported at once. Unlike libev's, the
 * watcher stops itself before its callback: an exit happens once, and JVM processes cannot be
 * traced (libev's {@code trace} for stop and continue). libev's "any child" (pid 0) has no
 * counterpart: the JVM has no hook that tells of children it starts later.
 */
public final class ChildWatcher extends Watcher {
    private final Process process;
    private final ProcessHandle handle;
    /** Brings an exit seen on a JVM thread to the loop. */
    private final Async exited;
    /** The pidfd and its watcher, on the descriptor backends; otherwise -1 and null. */
    private int pidfd = -1;
    private Io pidfdWatch;
    private int exitValue = -1;
    private boolean hasExitValue;

    ChildWatcher(EventBase base, Process process, ProcessHandle handle, WatcherCallback<ChildWatcher> callback) {
        super(base, null, -1, 0, callback);
        this.process = process;
        this.handle = Objects.requireNonNull(handle);
        this.exited = new Async(base, (a, revents) -> exited());
        exited.unref(); // this watcher keeps the loop alive, not its helpers
    }

    @Override
    void onStart() {
        base.watch(event, null);
        exited.event.priority = event.priority;
        exited.start();
        if (process != null) {
            process.onExit().thenRun(exited::send);
        } else if (!base.watchesDescriptors() || !watchPidfd()) {
            handle.onExit().thenRun(exited::send);
        }
    }

    /** Watches a pidfd of the process; false when the kernel offers none. */
    private boolean watchPidfd() {
        try {
            pidfd = Pidfd.open(handle.pid());
        } catch (ErrnoException e) {
            return false; // ENOSYS, EPERM: no pidfds here
        }
        if (pidfd < 0) {
            exited.send(); // gone already
            return true;
        }
        pidfdWatch = new Io(base, Pollable.of(pidfd), READ, (w, revents) -> exited());
        pidfdWatch.event.priority = event.priority;
        pidfdWatch.unref();
        pidfdWatch.start();
        return true;
    }

    /** On the loop thread: the process has exited. */
    private void exited() {
        if (!isActive()) return;
        if (process != null) {
            exitValue = process.exitValue();
            hasExitValue = true;
        }
        stop();
        feed(CHILD);
    }

    @Override
    void onStop() {
        if (pidfdWatch != null) {
            pidfdWatch.stop();
            pidfdWatch = null;
        }
        if (pidfd >= 0) {
            LibC.closeQuietly(pidfd);
            pidfd = -1;
        }
        exited.stop();
        base.unwatch(event, null);
    }

    /** {@code w->pid} and {@code w->rpid}: the process watched. */
    public long pid() {
        return handle.pid();
    }

    /**
     * {@code w->rstatus}, the exit code part: after the callback, the process's
     * {@link Process#exitValue()} (128 + n when a signal n killed it) when a {@link Process}
     * is watched; empty for a {@link ProcessHandle} or before the exit.
     */
    public OptionalInt exitValue() {
        base.lock.lock();
        try {
            return hasExitValue ? OptionalInt.of(exitValue) : OptionalInt.empty();
        } finally {
            base.lock.unlock();
        }
    }

    /** The watched process, or null when a {@link ProcessHandle} is watched. */
    public Process process() {
        return process;
    }
}
