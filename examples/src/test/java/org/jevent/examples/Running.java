package org.jevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jevent.EventBase;

/**
 * One test's server: an example started on a free port with the backend under test, the
 * clients talking to it, and the leak check every test ends with (server stopped, every
 * client closed, descriptors back to where they were).
 */
final class Running implements AutoCloseable {
    static {
        // The JDK opens some process-wide descriptors lazily (NIO, the first socket, the
        // pollers of virtual threads blocked in socket I/O): serve one client on every backend
        // now, read by a virtual thread, so that they do not count as a leak later.
        HelloWorld hello = new HelloWorld();
        for (String backend : EventBase.supportedMethods()) {
            try (Server server = hello.start(Args.parse(argv(backend)));
                 Client client = Client.connect(server.port())) {
                Thread.ofVirtual().start(client::readLine).join();
            } catch (Exception e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private final long fdsBefore = openFds();
    private final List<Client> clients = new ArrayList<>();
    private final Server server;
    private boolean stopped;

    /** Starts {@code example} on port 0 with {@code --backend backend} and {@code options}. */
    Running(ServerExample example, String backend, String... options) {
        this(() -> example.start(Args.parse(argv(backend, options), example.flags())));
    }

    /** Runs a server started otherwise (e.g. with a service the test inspects). */
    Running(ServerStart start) {
        try {
            server = start.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface ServerStart {
        Server start() throws IOException;
    }

    static Stream<String> backends() {
        return EventBase.supportedMethods().stream();
    }

    private static String[] argv(String backend, String... options) {
        List<String> argv = new ArrayList<>(List.of("--port", "0", "--backend", backend));
        argv.addAll(List.of(options));
        return argv.toArray(String[]::new);
    }

    int port() {
        return server.port();
    }

    /** A new client connected to the server; closed by {@link #close} at the latest. */
    Client connect() {
        return connect(0);
    }

    /** A client with a receive buffer of {@code receiveBuffer} bytes (0: auto-tuned). */
    Client connect(int receiveBuffer) {
        Client c = Client.connect(server.port(), receiveBuffer);
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    /** Stops the server (as on SIGTERM): every connection is closed. */
    void stop() {
        if (stopped) return;
        stopped = true;
        try {
            server.close();
        } catch (Exception e) {
            throw new AssertionError("stopping the server", e);
        }
    }

    @Override
    public void close() {
        stop();
        synchronized (clients) {
            clients.forEach(Client::close);
        }
        assertThat(openFds()).as("open descriptors after the server stopped").isEqualTo(fdsBefore);
    }

    static long openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
