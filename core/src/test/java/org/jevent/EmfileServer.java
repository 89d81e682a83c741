package org.jevent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jevent.listener.ConnListener;
import org.jevent.net.StreamSocket;

/**
 * The child process of {@link EmfileRecoveryTest}: a listener that keeps every connection it
 * accepts, run under a small descriptor limit. It reports on stdout ("PORT p PID n",
 * "ACCEPTED n", "ERROR message", "RELEASED") and obeys stdin ("release": close the kept
 * connections; "exit").
 */
public final class EmfileServer {
    private EmfileServer() {}

    public static void main(String[] args) throws IOException {
        EventBase base = EventBase.create(EventBaseConfig.builder().method(args[0]).ignoreEnvironment().build());
        List<StreamSocket> kept = new ArrayList<>();
        ConnListener listener = ConnListener.bind(base, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ConnListener.REUSEABLE, 1024, (l, socket, peer) -> {
                    kept.add(socket);
                    System.out.println("ACCEPTED " + kept.size());
                });
        listener.setErrorCallback((l, error) -> System.out.println("ERROR " + error.getMessage()));
        Event release = base.newTimer((e, what) -> {
            for (StreamSocket s : kept) close(s);
            kept.clear();
            System.out.println("RELEASED");
        });
        Event exit = base.newTimer((e, what) -> close(listener));
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
                for (String line; (line = in.readLine()) != null; ) {
                    (line.equals("release") ? release : exit).activate(Event.TIMEOUT);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        System.out.println("PORT " + ((InetSocketAddress) listener.getSocket().localAddress()).getPort()
                + " PID " + ProcessHandle.current().pid());
        base.dispatch();
        base.close();
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
