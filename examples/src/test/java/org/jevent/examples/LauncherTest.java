package org.jevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** {@code bin/jevent-examples}' main class, run as a process as users and bench/run.sh do. */
class LauncherTest {
    @AllBackends
    void echo_prints_its_port_first_and_stops_on_SIGTERM(String backend) throws Exception {
        try (ChildJvm echo = new ChildJvm(Examples.class.getName(), "echo", "--port", "0", "--backend", backend)) {
            String first = echo.readLine();
            assertThat(first).matches("LISTENING [0-9]+");
            try (Client client = Client.connect(Integer.parseInt(first.substring("LISTENING ".length())))) {
                client.send("over the wire\n");
                assertThat(client.readLine()).isEqualTo("over the wire");
            }
            assertThat(echo.readLine()).startsWith("echo: port ").contains(backend);
            assertThat(echo.terminate()).as("exit code").isZero();
            assertThat(echo.readLine()).isEqualTo("caught SIGTERM, stopping");
        }
    }

    @org.junit.jupiter.api.Test
    void help_lists_every_example() throws Exception {
        try (ChildJvm help = new ChildJvm(Examples.class.getName(), "--help")) {
            List<String> lines = new ArrayList<>();
            for (String line; (line = help.readLine()) != null; ) lines.add(line);
            assertThat(help.waitFor()).isZero();
            assertThat(String.join("\n", lines))
                    .contains("hello-world", "echo", "rot13", "chat", "time-signal", "stat-watch", "child-watch", "periodic");
        }
    }

    @org.junit.jupiter.api.Test
    void an_example_explains_its_options() throws Exception {
        try (ChildJvm help = new ChildJvm(Examples.class.getName(), "echo", "--help")) {
            assertThat(help.readLine()).contains("--threads N", "--reuseport", "--backend");
            assertThat(help.waitFor()).isZero();
        }
    }
}
