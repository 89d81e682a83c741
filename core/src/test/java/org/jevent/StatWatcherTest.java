package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * libev's {@code ev_stat}: each test makes one change after the watcher started and runs the
 * loop until the watcher reports it (it stops itself then); a 10 s timer that does not keep the
 * loop alive ends a test that waits in vain.
 */
class StatWatcherTest {

    /** Watches {@code file}, applies {@code change}, returns the (prev, attr) pairs reported. */
    private static List<FileStatus[]> watch(Harness h, Path file, Consumer<Path> change) {
        List<FileStatus[]> seen = new ArrayList<>();
        StatWatcher w = h.base.stat(file, StatWatcher.MIN_INTERVAL, (s, r) -> {
            assertThat(r).isEqualTo(Watcher.STAT);
            seen.add(new FileStatus[] {s.prev(), s.attr()});
            s.stop();
        });
        Timer guard = h.base.timer(Duration.ofSeconds(10), Duration.ZERO, (t, r) -> w.stop());
        guard.unref();
        guard.start();
        w.start();
        change.accept(file);
        h.base.run(0);
        guard.stop();
        return seen;
    }

    private static Path tempDir() throws IOException {
        return Files.createTempDirectory("jevent-stat");
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static Consumer<Path> io(IoAction action) {
        return p -> {
            try {
                action.run(p);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    private interface IoAction {
        void run(Path p) throws IOException;
    }

    @AllBackends
    void pathThatDoesNotExistYetIsReportedWhenCreated(String method) throws IOException {
        Path dir = tempDir();
        try (Harness h = new Harness(method)) {
            Path file = dir.resolve("later");
            List<FileStatus[]> seen = watch(h, file, io(p -> Files.writeString(p, "hello")));
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0)[0].exists()).isFalse();
            assertThat(seen.get(0)[1].exists()).isTrue();
            assertThat(seen.get(0)[1].size()).isEqualTo(5);
        } finally {
            delete(dir);
        }
    }

    @AllBackends
    void growthIsReportedWithPreviousAndCurrentSize(String method) throws IOException {
        Path dir = tempDir();
        try (Harness h = new Harness(method)) {
            Path file = Files.writeString(dir.resolve("f"), "ab");
            List<FileStatus[]> seen = watch(h, file, io(p -> Files.writeString(p, "abcdef")));
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0)[0].size()).isEqualTo(2);
            assertThat(seen.get(0)[1].size()).isEqualTo(6);
        } finally {
            delete(dir);
        }
    }

    @AllBackends
    void deletionIsReported(String method) throws IOException {
        Path dir = tempDir();
        try (Harness h = new Harness(method)) {
            Path file = Files.writeString(dir.resolve("f"), "x");
            List<FileStatus[]> seen = watch(h, file, io(Files::delete));
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0)[0].exists()).isTrue();
            assertThat(seen.get(0)[1]).isEqualTo(FileStatus.MISSING);
        } finally {
            delete(dir);
        }
    }

    @AllBackends
    void permissionChangeIsReported(String method) throws IOException {
        Path dir = tempDir();
        try (Harness h = new Harness(method)) {
            Path file = Files.writeString(dir.resolve("f"), "x");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            List<FileStatus[]> seen = watch(h, file,
                    io(p -> Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--------"))));
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0)[0].mode() & 0777).isEqualTo(0600);
            assertThat(seen.get(0)[1].mode() & 0777).isEqualTo(0400);
        } finally {
            delete(dir);
        }
    }

    @AllBackends
    void attrIsTheBaselineAfterStart(String method) throws IOException {
        Path dir = tempDir();
        try (Harness h = new Harness(method)) {
            Path file = Files.writeString(dir.resolve("f"), "abc");
            StatWatcher w = h.base.stat(file, (s, r) -> {});
            w.start();
            assertThat(w.attr().exists()).isTrue();
            assertThat(w.attr().size()).isEqualTo(3);
            assertThat(w.interval()).isEqualTo(StatWatcher.DEFAULT_INTERVAL);
            w.stop();
        } finally {
            delete(dir);
        }
    }
}
