package org.jevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jevent.EventBase;
import org.jevent.EventBaseConfig;
import org.jevent.bufferevent.BufferEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EchoTest {
    /** Every backend in each server layout: one loop, accept hand-off over 4, SO_REUSEPORT over 4. */
    static Stream<Arguments> layouts() {
        List<String[]> layouts = List.of(new String[0], new String[] {"--threads", "4"},
                new String[] {"--threads", "4", "--reuseport"});
        return EventBase.supportedMethods().stream()
                .flatMap(backend -> layouts.stream().map(options -> Arguments.of(backend, options)));
    }

    @AllBackends
    void echoes_what_a_client_sends(String backend) {
        try (Running server = new Running(new Echo(), backend)) {
            Client client = server.connect();
            client.send("hello\n");
            assertThat(client.readLine()).isEqualTo("hello");
            client.send("and again\n");
            assertThat(client.readLine()).isEqualTo("and again");
        }
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("layouts")
    void echoes_to_many_concurrent_clients(String backend, String[] options) throws Exception {
        try (Running server = new Running(new Echo(), backend, options);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                byte[] message = message(i, 1000 + 97 * i);
                done.add(clients.submit(() -> {
                    Client client = server.connect();
                    for (int round = 0; round < 20; round++) {
                        client.send(message);
                        assertThat(client.read(message.length)).isEqualTo(message);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("layouts")
    void stopping_closes_the_open_connections(String backend, String[] options) {
        try (Running server = new Running(new Echo(), backend, options)) {
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Client client = server.connect();
                client.send("served\n");
                assertThat(client.readLine()).isEqualTo("served");
                clients.add(client);
            }
            server.stop();
            for (Client client : clients) client.assertClosedByServer();
        }
    }

    @AllBackends
    void flushes_the_echo_before_closing_at_end_of_stream(String backend) {
        try (Running server = new Running(new Echo(), backend)) {
            Client client = server.connect();
            byte[] data = message(7, 1 << 20);
            client.send(data);
            client.shutdownOutput();
            assertThat(client.read(data.length)).isEqualTo(data);
            client.assertClosedByServer();
        }
    }

    @AllBackends
    void pauses_reading_from_a_client_that_does_not_read(String backend) throws Exception {
        Connections connections = new Connections();
        EchoService echo = new EchoService(connections, EchoService.HIGH_WATERMARK);
        EventBaseConfig config = EventBaseConfig.builder().method(backend).build();
        try (Running server = new Running(() -> Server.start(config, new InetSocketAddress("127.0.0.1", 0), 1,
                false, connections, echo));
             ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor()) {
            // A small receive buffer, so that the kernel cannot absorb the echo either.
            Client client = Client.connect(server.port(), 64 * 1024);
            byte[] data = message(3, 8 << 20);
            Future<?> sent = writer.submit(() -> {
                client.send(data);
                return null;
            });
            // The echo is read only once the server has paused reading from this client.
            assertThat(awaitPause(echo)).as("reading paused").isTrue();
            assertThat(echo.largestOutput())
                    .isGreaterThan(EchoService.HIGH_WATERMARK)
                    .isLessThanOrEqualTo(EchoService.HIGH_WATERMARK + BufferEvent.DEFAULT_MAX_SINGLE);
            assertThat(client.read(data.length)).isEqualTo(data);
            sent.get(10, TimeUnit.SECONDS);
            client.close();
        }
    }

    /** Waits until {@code echo} paused a connection, polling its counter (it has no other signal). */
    private static boolean awaitPause(EchoService echo) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (echo.pauses() == 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    static byte[] message(int seed, int length) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }
}
