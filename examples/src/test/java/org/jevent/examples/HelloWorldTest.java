package org.jevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

class HelloWorldTest {
    @AllBackends
    void greets_each_client_and_closes_once_the_greeting_is_sent(String backend) {
        try (Running server = new Running(new HelloWorld(), backend)) {
            for (int i = 0; i < 3; i++) {
                Client client = server.connect();
                assertThat(client.readLine()).isEqualTo("Hello, World!");
                client.assertClosedByServer();
            }
        }
    }

}
