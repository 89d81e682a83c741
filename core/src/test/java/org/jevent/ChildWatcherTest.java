package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** libev's {@code ev_child} for JVM processes: exit status of ProcessBuilder children, exits of any pid. */
class ChildWatcherTest {

    /** A child with no pipes to the JVM, so that it leaves no descriptor behind. */
    private static Process spawn(String script) throws IOException {
        return new ProcessBuilder("sh", "-c", script)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
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
