package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * A listener in a child JVM that runs out of descriptors: it must shed the extra connections
 * cleanly (spare descriptor), not spin when even that fails (back-off), and recover by
 * itself once descriptors are free again. The limit is set with {@code prlimit}; the child
 * runs with {@code -XX:-MaxFDLimit} so that the JVM does not raise it.
 */
class EmfileRecoveryTest {
    private static final int LIMIT = 64;
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    @AllBackends
    void shedsExtraConnectionsBacksOffAndRecovers(String method) throws Exception {
        long fdsBefore = Harness.openFds();
        List<SocketChannel> clients = new ArrayList<>();
        try (Child child = Child.start(method)) {
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), child.port);

            // 1. More connections than descriptors: the child keeps what it can, the spare
            //    descriptor lets it close the others at once, and it stays idle.
            int first = 100;
            for (int i = 0; i < first; i++) clients.add(nonBlocking(SocketChannel.open(server)));
            waitFor("every connection kept or closed", () -> child.accepted.get() + closedByPeer(clients) == first);
            assertThat(child.accepted.get()).isBetween(10, LIMIT);
            assertThat(child.errors.get()).isPositive();
            assertThat(child.cpuShareOverOneSecond()).as("CPU share while shedding").isLessThan(0.30);

            // 2. The limit drops below every descriptor the child holds: the spare cannot
            //    help, so the listener must back off instead of spinning on the backlog.
            child.setSoftLimit(10);
            int errorsBefore = child.errors.get();
            int second = 20;
            for (int i = 0; i < second; i++) clients.add(nonBlocking(SocketChannel.open(server)));
            waitFor("the failure reported", () -> child.errors.get() > errorsBefore);
            int errorsAtStart = child.errors.get();
            assertThat(child.cpuShareOverOneSecond()).as("CPU share while backing off").isLessThan(0.30);
            // Back-off periods of 100, 200, 400, 800 ms...: a handful of reports per second.
            assertThat(child.errors.get() - errorsAtStart).isLessThanOrEqualTo(5);

            // 3. Descriptors come back: the waiting connections are accepted without help.
            child.send("release");
            waitFor("kept connections released", () -> child.released);
            child.setSoftLimit(LIMIT);
            waitFor("the waiting connections accepted", () -> child.accepted.get() == second);

            child.send("exit");
            assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.process.exitValue()).isZero();
        } finally {
            for (SocketChannel c : clients) c.close();
        }
        assertThat(Harness.openFds()).as("open descriptors").isEqualTo(fdsBefore);
    }

    private static SocketChannel nonBlocking(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        return channel;
    }

    /** How many of {@code clients} the server has closed (end of stream or reset). */
    private static int closedByPeer(List<SocketChannel> clients) {
        int closed = 0;
        ByteBuffer one = ByteBuffer.allocate(1);
        for (SocketChannel c : clients) {
            try {
                one.clear();
                if (c.read(one) < 0) closed++;
            } catch (IOException reset) {
                closed++;
            }
        }
        return closed;
    }

    /** Polls another process's state every 10 ms, for up to 10 s. */
    private static void waitFor(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting for: " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** The child JVM running {@link EmfileServer}, and what it reported. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final Writer commands;
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        volatile boolean released;
        final int port;
        final long pid;

        private Child(Process process) throws Exception {
            this.process = process;
            this.commands = process.outputWriter(StandardCharsets.UTF_8);
            CompletableFuture<String[]> ready = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
                    for (String line; (line = out.readLine()) != null; ) {
                        String[] words = line.split(" ", 2);
                        switch (words[0]) {
                            case "PORT" -> ready.complete(line.split(" "));
                            case "ACCEPTED" -> accepted.set(Integer.parseInt(words[1]));
                            case "ERROR" -> errors.incrementAndGet();
                            case "RELEASED" -> released = true;
                            default -> System.err.println("child: " + line);
                        }
                    }
                    ready.completeExceptionally(new AssertionError("child ended before it listened"));
                } catch (IOException e) {
                    ready.completeExceptionally(e);
                }
            });
            String[] words = ready.get(30, TimeUnit.SECONDS);
            this.port = Integer.parseInt(words[1]);
            this.pid = Long.parseLong(words[3]);
        }

        static Child start(String method) throws Exception {
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process p = new ProcessBuilder("prlimit", "--nofile=" + LIMIT + ":", java,
                    "-XX:-MaxFDLimit", "-XX:+UseSerialGC", "-Xmx64m", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), EmfileServer.class.getName(), method)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try {
                return new Child(p);
            } catch (Exception e) {
                p.destroyForcibly().waitFor();
                throw e;
            }
        }

        void send(String command) throws IOException {
            commands.write(command + "\n");
            commands.flush();
        }

        /** Sets the child's soft RLIMIT_NOFILE; new descriptors must be numbered below it. */
        void setSoftLimit(int limit) throws Exception {
            Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + limit + ":")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            p.getOutputStream().close();
        }

        /** User plus system CPU time of the child over the next second, as a share of one core. */
        double cpuShareOverOneSecond() throws IOException {
            long before = cpuTicks();
            long start = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            long ticks = cpuTicks() - before;
            double seconds = (System.nanoTime() - start) / 1e9;
            return ticks / (double) CLOCK_TICKS_PER_SECOND / seconds;
        }

        private long cpuTicks() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name in parentheses; utime and stime are fields 14 and 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }

        @Override
        public void close() throws Exception {
            try {
                commands.close();
            } catch (IOException alreadyGone) {
                // the child has exited
            }
            if (process.isAlive()) process.destroyForcibly();
            process.waitFor();
            process.getInputStream().close();
        }
    }
}
