package org.jevent.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class of the test class path run in a JVM of its own, as a user runs it: for what needs a
 * process (signals, a fixed port, {@code main} itself). Its output is read line by line;
 * {@link #close} ends it if it still runs.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;

    ChildJvm(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The next line it printed; null once it ended. */
    String readLine() throws IOException {
        return output.readLine();
    }

    /** Sends SIGTERM and waits for it to end; returns its exit code. Its output stays readable. */
    int terminate() throws InterruptedException {
        process.toHandle().destroy(); // Process.destroy() would also close the output pipe
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("still running after SIGTERM");
        return process.exitValue();
    }

    /** Waits for it to end by itself; returns its exit code. */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("still running");
        return process.exitValue();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroyForcibly().waitFor();
        output.close();
        process.getOutputStream().close();
    }
}
