package org.jevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

class Rot13Test {
    @AllBackends
    void rotates_each_line(String backend) {
        try (Running server = new Running(new Rot13(), backend)) {
            Client client = server.connect();
            client.send("Hello, World!\n");
            assertThat(client.readLine()).isEqualTo("Uryyb, Jbeyq!");
            client.send("two lines\nin one ");           // the second line is still partial
            assertThat(client.readLine()).isEqualTo("gjb yvarf");
            client.send("write\nzä\n");                 // ...until its newline arrives
            assertThat(client.readLine()).isEqualTo("va bar jevgr");
            assertThat(client.readLine()).isEqualTo("mä");
            client.shutdownOutput();
            client.assertClosedByServer();
        }
    }

    @AllBackends
    void sends_an_overlong_line_in_parts_instead_of_buffering_it(String backend) {
        try (Running server = new Running(new Rot13(), backend)) {
            Client client = server.connect();
            byte[] line = new byte[4 * Rot13.MAX_LINE];
            Arrays.fill(line, (byte) 'a');
            client.send(line);
            // Without a newline, the server keeps less than MAX_LINE bytes of it.
            byte[] sent = client.read(3 * Rot13.MAX_LINE);
            client.send("\n");
            byte[] rest = client.read(Rot13.MAX_LINE + 1);
            assertThat(new String(sent, StandardCharsets.US_ASCII) + new String(rest, StandardCharsets.US_ASCII))
                    .isEqualTo("n".repeat(line.length) + "\n");
        }
    }
}
