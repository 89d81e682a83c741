package org.jevent.internal.linux;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jevent.Event.CLOSED;
import static org.jevent.Event.ET;
import static org.jevent.Event.READ;
import static org.jevent.Event.WRITE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jevent.EventBase;
import org.jevent.Feature;
import org.jevent.Pollable;
import org.jevent.Signals;
import org.jevent.internal.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every descriptor backend owes the core, run against each of them
 * (display names {@code [epoll]}, {@code [poll]}, {@code [select]}) directly on the
 * {@link Backend} interface with real socket pairs. Adding a backend to
 * {@link FdBackends#NAMES} adds it here.
 */
class BackendConformanceTest {
    private static final long SHORT_WAIT = MILLISECONDS.toNanos(10);
    private static final long LONG_WAIT = SECONDS.toNanos(5);

    /** A test run once per descriptor backend. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("org.jevent.internal.linux.BackendConformanceTest#backends")
    @interface EachBackend {}

    static Stream<String> backends() {
        return FdBackends.available().stream();
    }

    private long fdsBefore;

    @BeforeAll
    static void loadEverythingThatKeepsDescriptorsOpen() throws IOException {
        // Class loading opens jars lazily and NIO keeps a descriptor for its pre-close trick:
        // get both done before counting descriptors.
        SocketChannel.open().close();
        for (String name : FdBackends.available()) {
            try (Backend backend = FdBackends.open(name); SocketPair pair = SocketPair.open()) {
                backend.update(Pollable.of(pair.left), 1, 0, WRITE);
                assertThat(pollReady(backend, 0)).isNotNull();
            }
        }
    }

    @BeforeEach
    void countDescriptors() throws IOException {
        fdsBefore = openDescriptors();
    }

    @AfterEach
    void nothingLeaked() throws IOException {
        assertThat(openDescriptors()).as("open descriptors").isEqualTo(fdsBefore);
    }

    @EachBackend
    void readableAfterPeerWrites(String name) throws IOException {
        try (Backend backend = FdBackends.open(name); SocketPair pair = SocketPair.open()) {
            backend.update(Pollable.of(pair.left), 7, 0, READ);
            assertThat(pollReady(backend, 0)).isEmpty();

            send(pair.right, "x");

            assertThat(pollReady(backend, LONG_WAIT)).containsOnlyKeys(7L);
            assertThat(pollReady(backend, LONG_WAIT).get(7L) & READ).isEqualTo(READ);
        }
    }

    @EachBackend
    void writableAtOnce(String name) throws IOException {
        try (Backend backend = FdBackends.open(name); SocketPair pair = SocketPair.open()) {
            backend.update(Pollable.of(pair.left), 7, 0, WRITE);

            assertThat(pollReady(backend, LONG_WAIT)).containsExactly(Map.entry(7L, WRITE));
        }
    }

    @EachBackend
    void idleDescriptorIsNotReported(String name) throws IOException {
        try (Backend backend = FdBackends.open(name); SocketPair pair = SocketPair.open()) {
            backend.update(Pollable.of(pair.left), 7, 0, READ);

            assertThat(backend.poll(SHORT_WAIT)).isZero();
        }
    }

    @EachBackend
    void modifiedInterestTakesEffect(String name) throws IOException {
        try (Backend backend = FdBackends.open(name); SocketPair pair = SocketPair.open()) {
            Pollable left = Pollable.of(pair.left);
            backend.update(left, 7, 0, READ);
            assertThat(backend.poll(SHORT_WAIT)).isZero();

            backend.update(left, 8, READ, READ | WRITE);
            assertThat(pollReady(backend, LONG_WAIT)).containsExactly(Map.entry(8L, WRITE));

            backend.update(left, 9, READ | WRITE, READ);
            assertThat(backend.poll(SHORT_WAIT)).isZero();
        }
    }

    @EachBackend
    void removedDescriptorIsNotReported(String name) throws IOException {
        try (Backend backend = FdBackends.open(name); SocketPair pair = SocketPair.open()) {
            Pollable left = Pollable.of(pair.left);
            backend.update(left, 7, 0, WRITE);
            backend.update(left, 7, WRITE, 0);

            assertThat(backend.poll(SHORT_WAIT)).isZero();
        }
    }

    @EachBackend
    void removingAnAlreadyClosedDescriptorSucceeds(String name) throws IOException {
        try (Backend backend = FdBackends.open(name)) {
            int[] pair = LibC.socketPair(LibC.AF_UNIX, LibC.SOCK_STREAM);
            backend.update(Pollable.of(pair[0]), 7, 0, READ);
            LibC.close(pair[0]);
            LibC.close(pair[1]);

            backend.update(Pollable.of(pair[0]), 7, READ, 0);

            assertThat(backend.poll(SHORT_WAIT)).isZero();
        }
    }

    @EachBackend
    void tokensRoundTripIntact(String name) throws IOException {
        long[] tokens = {0x8000_0000_0000_0001L, 0xFEDC_BA98_7654_3210L, Long.MAX_VALUE, 0x0000_0001_0000_0000L};
        List<SocketPair> pairs = new ArrayList<>();
        try (Backend backend = FdBackends.open(name)) {
            for (long token : tokens) {
                SocketPair pair = SocketPair.open();
                pairs.add(pair);
                backend.update(Pollable.of(pair.left), token, 0, WRITE);
            }

            assertThat(pollReady(backend, LONG_WAIT).keySet())
                    .containsExactlyInAnyOrder(0x8000_0000_0000_0001L, 0xFEDC_BA98_7654_3210L, Long.MAX_VALUE,
                            0x0000_0001_0000_0000L);
        } finally {
            pairs.forEach(SocketPair::close);
        }
    }

    @EachBackend
    void manyReadyDescriptorsAreAllReportedBySecondPoll(String name) throws IOException {
        int count = 100; // more than epoll's initial ready array of 64, less than twice that
        List<SocketPair> pairs = new ArrayList<>();
        try (Backend backend = FdBackends.open(name)) {
            for (int i = 0; i < count; i++) {
                SocketPair pair = SocketPair.open();
                pairs.add(pair);
                backend.update(Pollable.of(pair.left), 1000 + i, 0, WRITE);
            }

            assertThat(backend.poll(LONG_WAIT)).isPositive();
            Map<Long, Integer> second = pollReady(backend, LONG_WAIT);

            assertThat(second).hasSize(count);
            assertThat(second.values()).containsOnly(WRITE);
        } finally {
            pairs.forEach(SocketPair::close);
        }
    }

    @EachBackend
    void wakeupFromAnotherThreadEndsAnInfinitePoll(String name) throws Exception {
        try (Backend backend = FdBackends.open(name); SocketPair pair = SocketPair.open()) {
            backend.update(Pollable.of(pair.left), 7, 0, READ);
            AtomicInteger result = new AtomicInteger(-1);
            CountDownLatch returned = new CountDownLatch(1);
            Thread poller = Thread.ofPlatform().start(() -> {
                try {
                    result.set(backend.poll(-1));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                returned.countDown();
            });

            Thread.ofPlatform().start(backend::wakeup).join();

            assertThat(returned.await(5, SECONDS)).as("poll returned").isTrue();
            poller.join();
            assertThat(result.get()).isZero();
        }
    }

    /**
     * A signal handled by the JVM interrupts the wait (EINTR). The waits capture no errno
     * ({@link Syscall#blockingWait}), so this is the path where the backend learns it by
     * polling again: the poll must end early with nothing ready, not throw.
     */
    @EachBackend
    void waitInterruptedBySignalEndsWithNothingReady(String name) throws Exception {
        try (EventBase handlerHolder = EventBase.create(); Backend backend = FdBackends.open(name)) {
            handlerHolder.newSignal(Signals.SIGWINCH, (ev, what) -> { }).add(); // installs the JVM's handler
            AtomicInteger pollerTid = new AtomicInteger();
            AtomicInteger result = new AtomicInteger(-1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch returned = new CountDownLatch(1);
            long start = System.nanoTime();
            Thread poller = Thread.ofPlatform().start(() -> {
                pollerTid.set(ThreadSignal.gettid());
                try {
                    result.set(backend.poll(LONG_WAIT));
                } catch (Throwable t) {
                    failure.set(t);
                }
                returned.countDown();
            });
            // A signal that lands before the wait starts is handled and changes nothing: repeat.
            do {
                if (pollerTid.get() != 0) ThreadSignal.send(pollerTid.get(), Signals.SIGWINCH);
            } while (!returned.await(10, MILLISECONDS) && System.nanoTime() - start < LONG_WAIT);
            poller.join();

            assertThat(failure.get()).isNull();
            assertThat(result.get()).isZero();
            assertThat(System.nanoTime() - start).as("poll ended by the signal").isLessThan(LONG_WAIT);
        }
    }

    @EachBackend
    void descriptorAddedWhileAnotherThreadPollsIsSeenAfterWakeup(String name) throws Exception {
        try (Backend backend = FdBackends.open(name); SocketPair pair = SocketPair.open()) {
            CountDownLatch seen = new CountDownLatch(1);
            Thread loop = Thread.ofPlatform().start(() -> {
                try {
                    // What the core does: poll until told to stop, here until token 7 shows up.
                    while (!pollReady(backend, -1).containsKey(7L)) {
                        // woken up before the registration took effect: poll again
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                seen.countDown();
            });

            backend.update(Pollable.of(pair.left), 7, 0, WRITE);
            backend.wakeup();

            assertThat(seen.await(5, SECONDS)).as("the loop saw the new descriptor").isTrue();
            loop.join();
        }
    }

    @EachBackend
    void wakeupsCoalesceAndAreConsumedByOnePoll(String name) throws IOException {
        try (Backend backend = FdBackends.open(name)) {
            backend.wakeup();
            backend.wakeup();
            backend.wakeup();
            assertThat(backend.poll(LONG_WAIT)).isZero();

            long start = System.nanoTime();
            assertThat(backend.poll(MILLISECONDS.toNanos(20))).isZero();
            assertThat(System.nanoTime() - start).as("a consumed wake-up does not end the next poll")
                    .isGreaterThanOrEqualTo(MILLISECONDS.toNanos(20));

            backend.wakeup();
            assertThat(backend.poll(LONG_WAIT)).as("the next wake-up after a poll works").isZero();
        }
    }

    @EachBackend
    void timeoutIsHonouredAndNeverEarly(String name) throws IOException {
        try (Backend backend = FdBackends.open(name)) {
            for (long timeout : new long[] {MILLISECONDS.toNanos(20), 1_500_000L, 1}) {
                long start = System.nanoTime();
                assertThat(backend.poll(timeout)).isZero();
                long elapsed = System.nanoTime() - start;
                assertThat(elapsed).as("poll(%d ns) took %d ns", timeout, elapsed)
                        .isGreaterThanOrEqualTo(timeout).isLessThan(timeout + SECONDS.toNanos(1));
            }
        }
    }

    @EachBackend
    void peerCloseReportsRead(String name) throws IOException {
        try (Backend backend = FdBackends.open(name); SocketPair pair = SocketPair.open()) {
            boolean earlyClose = Feature.of(backend.features()).contains(Feature.EARLY_CLOSE);
            backend.update(Pollable.of(pair.left), 7, 0, READ | (earlyClose ? CLOSED : 0));

            pair.closeRight();

            int events = pollReady(backend, LONG_WAIT).get(7L);
            assertThat(events & READ).isEqualTo(READ);
            if (earlyClose) assertThat(events & CLOSED).isEqualTo(CLOSED);
        }
    }

    @EachBackend
    void closedInterestAloneSeesPeerCloseWherePromised(String name) throws IOException {
        try (Backend backend = FdBackends.open(name); SocketPair pair = SocketPair.open()) {
            backend.update(Pollable.of(pair.left), 7, 0, CLOSED);
            send(pair.right, "unread data");

            pair.closeRight();

            if (Feature.of(backend.features()).contains(Feature.EARLY_CLOSE)) {
                assertThat(pollReady(backend, LONG_WAIT).get(7L) & CLOSED).isEqualTo(CLOSED);
            } else {
                assertThat(backend.poll(SHORT_WAIT)).as("CLOSED is accepted and never reported").isZero();
            }
        }
    }

    @EachBackend
    void edgeTriggeredReportsOnceUntilMoreDataArrives(String name) throws IOException {
        try (Backend backend = FdBackends.open(name); SocketPair pair = SocketPair.open()) {
            Pollable left = Pollable.of(pair.left);
            if (!Feature.of(backend.features()).contains(Feature.EDGE_TRIGGERED)) {
                assertThatThrownBy(() -> backend.update(left, 7, 0, READ | ET))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("ET");
                return;
            }
            backend.update(left, 7, 0, READ | ET);

            send(pair.right, "x");
            assertThat(pollReady(backend, LONG_WAIT)).containsExactly(Map.entry(7L, READ));
            assertThat(backend.poll(SHORT_WAIT)).as("unread data is not reported again").isZero();

            send(pair.right, "y");
            assertThat(pollReady(backend, LONG_WAIT)).containsExactly(Map.entry(7L, READ));
        }
    }

    @EachBackend
    void regularFileIsAlwaysReady(String name) throws IOException {
        try (Backend backend = FdBackends.open(name); RegularFile file = RegularFile.create()) {
            Pollable handle = Pollable.of(file.fd);
            backend.update(handle, 7, 0, READ | WRITE);

            for (int poll = 0; poll < 2; poll++) {
                long start = System.nanoTime();
                assertThat(pollReady(backend, -1)).containsExactly(Map.entry(7L, READ | WRITE));
                assertThat(System.nanoTime() - start).isLessThan(SECONDS.toNanos(1));
            }

            backend.update(handle, 8, READ | WRITE, READ);
            assertThat(pollReady(backend, -1)).containsExactly(Map.entry(8L, READ));

            backend.update(handle, 8, READ, 0);
            assertThat(backend.poll(SHORT_WAIT)).isZero();
        }
    }

    @EachBackend
    void channelIsRefusedWithAHint(String name) throws IOException {
        try (Backend backend = FdBackends.open(name); SocketChannel channel = SocketChannel.open()) {
            assertThatThrownBy(() -> backend.update(Pollable.of(channel), 7, 0, READ))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining(name + " backend watches file descriptors")
                    .hasMessageContaining("use the nio backend");
        }
    }

    @EachBackend
    void closeReleasesItsDescriptors(String name) throws IOException {
        long before = openDescriptors();
        Backend backend = FdBackends.open(name);
        assertThat(openDescriptors()).isGreaterThan(before);

        backend.close();
        backend.close();

        assertThat(openDescriptors()).isEqualTo(before);
    }

    @Test
    void epollWithoutPwait2RoundsTimeoutsUpToWholeMilliseconds() throws IOException {
        try (Backend backend = new EpollBackend(false); SocketPair pair = SocketPair.open()) {
            for (long timeout : new long[] {1, 1_500_000L, MILLISECONDS.toNanos(20)}) {
                long start = System.nanoTime();
                assertThat(backend.poll(timeout)).isZero();
                long wholeMillis = MILLISECONDS.toNanos(Math.ceilDiv(timeout, 1_000_000L));
                assertThat(System.nanoTime() - start).as("poll(%d ns)", timeout).isGreaterThanOrEqualTo(wholeMillis);
            }
            backend.update(Pollable.of(pair.left), 7, 0, WRITE);
            assertThat(pollReady(backend, -1)).containsExactly(Map.entry(7L, WRITE));
        }
    }

    @Test
    void selectRefusesDescriptorsBeyondFdSetSize() throws IOException {
        try (Backend backend = FdBackends.open("select")) {
            assertThatThrownBy(() -> backend.update(Pollable.of(1500), 7, 0, READ))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("select backend cannot watch fd 1500: FD_SETSIZE is 1024; use epoll or poll");
        }
    }

    @Test
    void descriptorBackendsAreListedInPreferenceOrder() {
        assertThat(FdBackends.available()).containsExactly("epoll", "poll", "select");
        assertThatThrownBy(() -> FdBackends.open("kqueue")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers ----

    /** Polls once and returns token -> readiness, checking that no token repeats. */
    private static Map<Long, Integer> pollReady(Backend backend, long timeoutNanos) throws IOException {
        int n = backend.poll(timeoutNanos);
        Map<Long, Integer> ready = new HashMap<>();
        for (int i = 0; i < n; i++) {
            assertThat(ready.put(backend.readyToken(i), backend.readyEvents(i))).as("token reported twice").isNull();
        }
        return ready;
    }

    private static void send(int fd, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, bytes);
            assertThat(LibC.write(fd, buf, bytes.length)).isEqualTo(bytes.length);
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** A connected AF_UNIX stream pair; closing closes whichever end is still open. */
    private static final class SocketPair implements AutoCloseable {
        final int left;
        final int right;
        private boolean rightOpen = true;

        private SocketPair(int[] fds) {
            left = fds[0];
            right = fds[1];
        }

        static SocketPair open() throws IOException {
            return new SocketPair(LibC.socketPair(LibC.AF_UNIX, LibC.SOCK_STREAM));
        }

        void closeRight() throws IOException {
            rightOpen = false;
            LibC.close(right);
        }

        @Override
        public void close() {
            LibC.closeQuietly(left);
            if (rightOpen) LibC.closeQuietly(right);
        }
    }

    /** gettid(2) and tgkill(2): a signal for one thread of this process. */
    private static final class ThreadSignal {
        private static final MethodHandle GETTID =
                Syscall.function("gettid", FunctionDescriptor.of(Syscall.INT), true);
        private static final MethodHandle TGKILL = Syscall.function("tgkill",
                FunctionDescriptor.of(Syscall.INT, Syscall.INT, Syscall.INT, Syscall.INT), true);

        static int gettid() {
            try {
                return (int) GETTID.invokeExact(Syscall.state());
            } catch (Throwable t) {
                throw Syscall.rethrow(t);
            }
        }

        static void send(int tid, int signo) throws IOException {
            MemorySegment st = Syscall.state();
            int rc;
            try {
                rc = (int) TGKILL.invokeExact(st, (int) ProcessHandle.current().pid(), tid, signo);
            } catch (Throwable t) {
                throw Syscall.rethrow(t);
            }
            if (rc < 0) throw Syscall.error("tgkill", st);
        }
    }

    /** An anonymous regular file (memfd_create): epoll refuses it, poll and select call it ready. */
    private record RegularFile(int fd) implements AutoCloseable {
        private static final int MFD_CLOEXEC = 1;
        private static final MethodHandle MEMFD_CREATE = Syscall.function("memfd_create",
                FunctionDescriptor.of(Syscall.INT, Syscall.PTR, Syscall.INT), true);

        static RegularFile create() throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment st = Syscall.state();
                int fd;
                try {
                    fd = (int) MEMFD_CREATE.invokeExact(st, arena.allocateFrom("jevent-test"), MFD_CLOEXEC);
                } catch (Throwable t) {
                    throw Syscall.rethrow(t);
                }
                if (fd < 0) throw Syscall.error("memfd_create", st);
                return new RegularFile(fd);
            }
        }

        @Override
        public void close() {
            LibC.closeQuietly(fd);
        }
    }
}
