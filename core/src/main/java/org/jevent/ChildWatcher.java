package org.jevent;

import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.OptionalInt;
import org.jevent.internal.linux.LibC;
import org.jevent.internal.linux.Pidfd;
import org.jevent.internal.linux.Syscall;
import org.jevent.internal.linux.Waitid;
import org.jevent.net.ErrnoException;

/**
 * A child watcher ({@code ev_child}): invoked with {@link #CHILD} when a process exits and,
 * when it traces ({@code trace} in libev), also when it stops or continues; {@link #state()}
 * says which.
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
 * watcher stops itself before its callback: an exit happens once.
 *
 * <p><b>Trace</b> ({@link EventBase#child(Process, boolean, WatcherCallback)}, a
 * {@link Process} only, since only a child of this JVM can be traced): the watcher also
 * reports {@link State#STOPPED} (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU; {@link #stopSignal()}
 * says which) and {@link State#CONTINUED} (SIGCONT), and stays active across them. While a
 * traced watcher is active its base watches SIGCHLD (through {@link SignalWatcher}'s
 * mechanism, so every backend works), and on each SIGCHLD, and once at {@link #start} for a
 * change that came before, asks the kernel for the child's unreported stop or continue with
 * {@code waitid(P_PID, pid, WSTOPPED | WCONTINUED | WNOHANG)}. That call cannot reap, and
 * the JVM's reaper ({@code waitpid(pid, &status, 0)}) asks for exits only, so neither takes
 * the other's news; exits still come through {@link Process#onExit()}. As in libev, changes
 * that happen before the loop looks are coalesced: the kernel keeps only the latest, the
 * callback sees the state last reported, and a change not yet looked at when the process
 * exits is lost (an exited process reports only its exit). Each change is reported to one traced watcher of
 * the process (the first to ask consumes it), so trace a process with one watcher. Tracing
 * needs Linux's waitid(2) (through FFM); elsewhere it throws
 * {@link UnsupportedOperationException}.
 *
 * <p>libev's "any child" (pid 0) has no counterpart: the JVM reaps every child it starts, and
 * no JVM hook tells of children it starts later.
 */
public final class ChildWatcher extends Watcher {
    /** What the last report said: libev's {@code WIFEXITED}, {@code WIFSTOPPED}, {@code WIFCONTINUED} on {@code w->rstatus}. */
    public enum State {
        /** Nothing reported since the watcher was made. */
        RUNNING,
        /** Stopped by a signal ({@code WIFSTOPPED}), {@link #stopSignal()} says which; traced watchers only. */
        STOPPED,
        /** Continued by SIGCONT after a stop ({@code WIFCONTINUED}); traced watchers only. */
        CONTINUED,
        /** Exited or killed by a signal ({@code WIFEXITED}, {@code WIFSIGNALED}); the watcher has stopped itself. */
        EXITED
    }

    private final Process process;
    private final ProcessHandle handle;
    /** Brings an exit seen on a JVM thread to the loop. */
    private final Async exited;
    /** With trace, the SIGCHLD watcher and the look at the child it triggers; otherwise null. */
    private final SignalWatcher sigchld;
    private final Waitid stopsAndContinues;
    /** The pidfd and its watcher, on the descriptor backends; otherwise -1 and null. */
    private int pidfd = -1;
    private Io pidfdWatch;
    private int exitValue = -1;
    private boolean hasExitValue;
    private State state = State.RUNNING;
    private int stopSignal;

    ChildWatcher(EventBase base, Process process, ProcessHandle handle, WatcherCallback<ChildWatcher> callback) {
        this(base, process, handle, false, callback);
    }

    ChildWatcher(EventBase base, Process process, ProcessHandle handle, boolean trace,
                 WatcherCallback<ChildWatcher> callback) {
        super(base, null, -1, 0, callback);
        this.process = process;
        this.handle = Objects.requireNonNull(handle);
        this.exited = new Async(base, (a, revents) -> exited());
        exited.unref(); // this watcher keeps the loop alive, not its helpers
        if (trace) {
            if (!Syscall.available()) {
                throw new UnsupportedOperationException("tracing a child needs Linux's waitid(2); not available on "
                        + System.getProperty("os.name"));
            }
            stopsAndContinues = new Waitid(handle.pid());
            sigchld = new SignalWatcher(base, Signals.SIGCHLD, (s, revents) -> lookForStopOrContinue());
            sigchld.unref();
        } else {
            stopsAndContinues = null;
            sigchld = null;
        }
    }

    @Override
    void onStart() {
        if (sigchld != null) {
            sigchld.event.priority = event.priority;
            sigchld.start(); // first: it may refuse, and it must precede the look below
        }
        base.watch(event, null);
        exited.event.priority = event.priority;
        exited.start();
        if (process != null) {
            process.onExit().thenRun(exited::send);
        } else if (!base.watchesDescriptors() || !watchPidfd()) {
            handle.onExit().thenRun(exited::send);
        }
        // With SIGCHLD watched, one look: a change before it is found by it, one after it
        // sends a SIGCHLD that is now watched.
        if (sigchld != null) lookForStopOrContinue();
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
        base.lock.lock();
        try {
            if (process != null) {
                exitValue = process.exitValue();
                hasExitValue = true;
            }
            state = State.EXITED;
            stopSignal = 0;
        } finally {
            base.lock.unlock();
        }
        stop();
        feed(CHILD);
    }

    /** With trace: takes the child's unreported stop or continue, if any, and reports it. */
    private void lookForStopOrContinue() {
        int code;
        try {
            code = stopsAndContinues.next();
        } catch (ErrnoException e) {
            throw new UncheckedIOException(e); // EINVAL: a bug, not a state of the child
        }
        if (code == 0) return;
        base.lock.lock();
        try {
            state = code == Waitid.CLD_CONTINUED ? State.CONTINUED : State.STOPPED;
            stopSignal = state == State.STOPPED ? stopsAndContinues.signal() : 0;
        } finally {
            base.lock.unlock();
        }
        feed(CHILD);
    }

    @Override
    void onStop() {
        if (sigchld != null) sigchld.stop();
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

    /** What the last callback reported: {@link State#RUNNING} before the first. */
    public State state() {
        base.lock.lock();
        try {
            return state;
        } finally {
            base.lock.unlock();
        }
    }

    /**
     * {@code WSTOPSIG(w->rstatus)}: the signal that stopped the process (e.g.
     * {@link Signals#SIGTSTP}; SIGSTOP is 19) when {@link #state()} is {@link State#STOPPED},
     * otherwise 0.
     */
    public int stopSignal() {
        base.lock.lock();
        try {
            return stopSignal;
        } finally {
            base.lock.unlock();
        }
    }

    /** The watched process, or null when a {@link ProcessHandle} is watched. */
    public Process process() {
        return process;
    }
}
