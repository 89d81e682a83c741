package org.jevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

class ChatTest {
    @AllBackends
    void broadcasts_each_line_to_the_other_clients(String backend) {
        try (Running server = new Running(new Chat(), backend)) {
            Client one = join(server, "client-1");
            Client two = join(server, "client-2");
            assertThat(one.readLine()).isEqualTo("client-2 joined");
            Client three = join(server, "client-3");
            assertThat(one.readLine()).isEqualTo("client-3 joined");
            assertThat(two.readLine()).isEqualTo("client-3 joined");

            one.send("hi all\r\n");
            assertThat(two.readLine()).isEqualTo("client-1: hi all");
            assertThat(three.readLine()).isEqualTo("client-1: hi all");
            three.send("hello one\nhello two\n");
            assertThat(one.readLine()).isEqualTo("client-3: hello one");
            assertThat(one.readLine()).isEqualTo("client-3: hello two");
            assertThat(two.readLine()).isEqualTo("client-3: hello one");
            assertThat(two.readLine()).isEqualTo("client-3: hello two");

            two.close();
            assertThat(one.readLine()).isEqualTo("client-2 left");
            assertThat(three.readLine()).isEqualTo("client-2 left");
            one.send("still here\n");
            assertThat(three.readLine()).isEqualTo("client-1: still here");
        }
    }

    @AllBackends
    void disconnects_a_client_that_does_not_read(String backend) throws Exception {
        try (Running server = new Running(new Chat(), backend, "--max-backlog", "65536");
             ExecutorService talker = Executors.newVirtualThreadPerTaskExecutor()) {
            Client sender = join(server, "client-1");
            Client watcher = join(server, "client-2");
            assertThat(sender.readLine()).isEqualTo("client-2 joined");
            Client slow = server.connect(16 * 1024); // never reads, and has a small window
            assertThat(slow.readLine()).isEqualTo("you are client-3");
            assertThat(sender.readLine()).isEqualTo("client-3 joined");
            assertThat(watcher.readLine()).isEqualTo("client-3 joined");

            // The sender talks until the room drops the slow client; the watcher keeps up.
            String said = "x".repeat(1000);
            AtomicBoolean stop = new AtomicBoolean();
            Future<?> talking = talker.submit(() -> {
                while (!stop.get()) sender.send(said + "\n");
                return null;
            });
            String heard;
            do {
                heard = watcher.readLine();
            } while (("client-1: " + said).equals(heard));
            stop.set(true);
            assertThat(heard).isEqualTo("client-3 left (too slow)");
            talking.get(10, TimeUnit.SECONDS);
            assertThat(slow.readUntilClosedByServer()).isPositive();
        }
    }

    /** Connects and checks the welcome line. */
    private static Client join(Running server, String name) {
        Client c = server.connect();
        assertThat(c.readLine()).isEqualTo("you are " + name);
        return c;
    }
}
