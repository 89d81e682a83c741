package org.jevent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's echo server is src/test/java/Echo.java, so it compiles with the tests; here it
 * is checked to be word for word the README's, and run.
 */
class ReadmeTest {
    private static final int README_PORT = 9996;

    @Test
    void the_readme_echo_server_is_the_tested_one() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int section = readme.indexOf("## An echo server");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String snippet = readme.substring(start, readme.indexOf("```\n", start));
        assertThat(snippet).isEqualTo(Files.readString(Path.of("src/test/java/Echo.java")));
        assertThat(snippet.lines().count()).as("lines").isLessThanOrEqualTo(25);
    }

    @Test
    void the_readme_echo_server_echoes() throws Exception {
        assumeTrue(free(README_PORT), "port " + README_PORT + " is in use");
        try (ChildJvm echo = new ChildJvm("Echo"); Client client = connectWhenUp()) {
            client.send("from the README\n");
            assertThat(client.readLine()).isEqualTo("from the README");
        }
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port)) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** The snippet prints nothing when it is ready, so its port is tried until it answers. */
    private static Client connectWhenUp() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return Client.connect(README_PORT);
            } catch (UncheckedIOException refused) {
                if (System.nanoTime() > deadline) throw refused;
                Thread.sleep(50);
            }
        }
    }
}
