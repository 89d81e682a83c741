package org.jevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** stat-watch, child-watch (with and without trace) and periodic, run as a user runs them, on every backend. */
class WatcherExamplesTest {
    @TempDir
    Path dir;

    @AllBackends
    void stat_watch_reports_creation_and_deletion(String backend) throws Exception {
        Path file = dir.resolve("watched.txt");
        try (ChildJvm watch = new ChildJvm(Examples.class.getName(), "stat-watch", "--count", "2",
                "--interval", "100ms", "--backend", backend, file.toString())) {
            assertThat(watch.readLine()).startsWith("watching " + file).contains("does not exist yet");
            Files.writeString(file, "hello");
            assertThat(watch.readLine()).isEqualTo(file + ": created (5 bytes)");
            Files.delete(file);
            assertThat(watch.readLine()).isEqualTo(file + ": deleted");
            assertThat(watch.waitFor()).isZero();
        }
    }

    @AllBackends
    void child_watch_reports_the_exit_status(String backend) throws Exception {
        try (ChildJvm watch = new ChildJvm(Examples.class.getName(), "child-watch", "--backend", backend,
                "--", "sh", "-c", "exit 3")) {
            String started = watch.readLine();
            assertThat(started).startsWith("started pid ").endsWith(": sh -c exit 3");
            String pid = started.split(" ")[2].replace(":", "");
            assertThat(watch.readLine()).isEqualTo("pid " + pid + " exited with status 3");
            assertThat(watch.waitFor()).isZero();
        }
    }

    @AllBackends
    void child_watch_traces_stop_and_continue(String backend) throws Exception {
        try (ChildJvm watch = new ChildJvm(Examples.class.getName(), "child-watch", "--trace", "--backend", backend,
                "--", "sh", "-c", "kill -STOP $$; exec sleep 30")) {
            String pid = watch.readLine().split(" ")[2].replace(":", "");
            assertThat(watch.readLine()).isEqualTo("pid " + pid + " stopped by signal 19");
            kill("CONT", pid);
            assertThat(watch.readLine()).isEqualTo("pid " + pid + " continued");
            kill("TERM", pid); // only now: an exit right after the continue could hide it
            assertThat(watch.readLine()).isEqualTo("pid " + pid + " exited with status " + (128 + 15));
            assertThat(watch.waitFor()).isZero();
        }
    }

    private static void kill(String signal, String pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start().waitFor()).isZero();
    }

    @AllBackends
    void periodic_fires_on_boundaries(String backend) throws Exception {
        try (ChildJvm periodic = new ChildJvm(Examples.class.getName(), "periodic", "--every", "200ms",
                "--count", "2", "--backend", backend)) {
            assertThat(periodic.readLine()).startsWith("next at ").contains("every PT0.2S");
            assertThat(periodic.readLine()).startsWith("periodic at ");
            assertThat(periodic.readLine()).startsWith("periodic at ");
            assertThat(periodic.waitFor()).isZero();
        }
    }
}
