package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * libev's {@code ev_child} for JVM processes: exit status of ProcessBuilder children, exits of
 * any pid, and with trace the stops and continues of ProcessBuilder children.
 */
class ChildWatcherTest {

    /** A child with no pipes to the JVM, so that it leaves no descriptor behind. */
    private static Process spawn(String script) throws IOException {
        return new ProcessBuilder("sh", "-c", script)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** {@code kill -SIGNAL pid}, waited for; like {@link #spawn}, it leaves no descriptor. */
    private static void kill(String signal, Process target) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(target.pid()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertThat(kill.waitFor()).as("kill -" + signal).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the kernel shows {@code process} stopped ("T" in /proc/PID/stat). */
    private static void awaitStopped(Process process) throws IOException {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            String line = Files.readString(stat);
            if (line.charAt(line.lastIndexOf(')') + 2) == 'T') return;
            assertThat(System.nanoTime()).as("stopped within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /**
     * Kills {@code child} if it still runs after 10 s, so that a stop never reported fails the
     * test instead of hanging it (a stopped child never exits); stop it at the end.
     */
    private static Timer guard(Harness h, Process child) {
        Timer guard = h.base.timer(Duration.ofSeconds(10), Duration.ZERO, (t, r) -> child.destroyForcibly());
        guard.unref();
        guard.start();
        return guard;
    }

    /** What a callback saw: state, stop signal, whether the watcher was still active. */
    private static String report(ChildWatcher c) {
        return c.state() + "/" + c.stopSignal() + "/" + (c.isActive() ? "active" : "stopped");
    }

    @AllBackends
    void tracedChildReportsStopThenContinueThenExit(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Process child = spawn("exec sleep 30");
            List<String> reports = new ArrayList<>();
            ChildWatcher w = h.base.child(child, true, (c, r) -> {
                reports.add(report(c));
                switch (c.state()) { // each step waits for the report of the one before
                    case STOPPED -> kill("CONT", child);
                    case CONTINUED -> child.destroyForcibly();
                    default -> {}
                }
            });
            w.start();
            Timer guard = guard(h, child);
            kill("STOP", child);
            assertThat(h.base.run(0)).isFalse();
            guard.stop();
            assertThat(reports).containsExactly(
                    "STOPPED/19/active", "CONTINUED/0/active", "EXITED/0/stopped");
            assertThat(w.exitValue()).as("128 + SIGKILL").hasValue(128 + 9);
        }
    }

    @AllBackends
    void untracedWatcherSeesOnlyTheExit(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Process child = spawn("exec sleep 30");
            List<String> untraced = new ArrayList<>();
            h.base.child(child, (c, r) -> untraced.add(report(c))).start();
            // A traced watcher of the same child proves the stop and the continue happened.
            List<String> traced = new ArrayList<>();
            h.base.child(child, true, (c, r) -> {
                traced.add(report(c) + " untraced saw " + untraced);
                switch (c.state()) {
                    case STOPPED -> kill("CONT", child);
                    case CONTINUED -> child.destroyForcibly();
                    default -> {}
                }
            }).start();
            Timer guard = guard(h, child);
            kill("STOP", child);
            h.base.run(0);
            guard.stop();
            assertThat(traced).startsWith(
                    "STOPPED/19/active untraced saw []", "CONTINUED/0/active untraced saw []");
            assertThat(untraced).containsExactly("EXITED/0/stopped");
        }
    }

    @AllBackends
    void childStoppedBeforeTheWatcherStartsIsReported(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Process child = spawn("exec sleep 30");
            // SIGSTOP, not SIGTSTP: the kernel discards the terminal stop signals for an orphaned
            // process group, which is what the child's group is when the build runs detached.
            kill("STOP", child);
            awaitStopped(child); // its SIGCHLD came before anyone watched it
            List<String> reports = new ArrayList<>();
            h.base.child(child, true, (c, r) -> {
                reports.add(report(c));
                if (c.state() == ChildWatcher.State.STOPPED) child.destroyForcibly();
            }).start();
            Timer guard = guard(h, child);
            h.base.run(0);
            guard.stop();
            assertThat(reports).containsExactly("STOPPED/19/active", "EXITED/0/stopped");
        }
    }

    @AllBackends
    void processBuilderChildGivesItsExitStatus(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Process child = spawn("exit 3");
            AtomicReference<OptionalInt> status = new AtomicReference<>();
            AtomicInteger revents = new AtomicInteger();
            AtomicBoolean activeInCallback = new AtomicBoolean(true);
            ChildWatcher w = h.base.child(child, (c, r) -> {
                status.set(c.exitValue());
                revents.set(r);
                activeInCallback.set(c.isActive());
            });
            w.start();
            assertThat(h.base.run(0)).isFalse();
            assertThat(status.get()).hasValue(3);
            assertThat(revents).hasValue(Watcher.CHILD);
            assertThat(activeInCallback).as("stopped before its callback").isFalse();
            assertThat(w.pid()).isEqualTo(child.pid());
        }
    }

    @AllBackends
    void childThatExitedBeforeTheWatcherStartedIsReported(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Process child = spawn("exit 7");
            child.waitFor();
            AtomicReference<OptionalInt> status = new AtomicReference<>();
            h.base.child(child, (c, r) -> status.set(c.exitValue())).start();
            h.base.run(0);
            assertThat(status.get()).hasValue(7);
        }
    }

    @AllBackends
    void anyProcessByHandleIsSeenToExitWithoutStatus(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Process child = spawn("exec sleep 60");
            AtomicReference<OptionalInt> status = new AtomicReference<>();
            AtomicLong pid = new AtomicLong();
            h.base.child(child.toHandle(), (c, r) -> {
                status.set(c.exitValue());
                pid.set(c.pid());
            }).start();
            // Killed once the loop is waiting for it.
            h.base.timer(Duration.ZERO, Duration.ZERO, (t, r) -> child.destroyForcibly()).start();
            h.base.run(0);
            assertThat(pid).hasValue(child.pid());
            assertThat(status.get()).isEmpty();
            child.waitFor();
        }
    }

    @AllBackends
    void handleOfAProcessAlreadyGoneIsReportedAtOnce(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Process child = spawn("exit 0");
            child.waitFor(); // reaped by the JVM: no such pid any more
            AtomicInteger fired = new AtomicInteger();
            h.base.child(child.toHandle(), (c, r) -> fired.incrementAndGet()).start();
            h.base.run(0);
            assertThat(fired).hasValue(1);
        }
    }

    @AllBackends
    void stoppedChildWatcherIsNotInvoked(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Process child = spawn("exit 0");
            AtomicInteger fired = new AtomicInteger();
            ChildWatcher w = h.base.child(child, (c, r) -> fired.incrementAndGet());
            w.start();
            w.stop();
            child.onExit().join(); // the JVM's exit handling is over: nothing is left to send
            assertThat(h.base.run(0)).isFalse();
            assertThat(fired).hasValue(0);
        }
    }
}
