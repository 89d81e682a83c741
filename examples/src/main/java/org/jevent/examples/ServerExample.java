package org.jevent.examples;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * An example that is a TCP server: it names its default port and its {@link Service}; running
 * it starts a {@link Server}, prints {@code LISTENING <port>} as its first line (scripts wait
 * for it), and stops cleanly on SIGINT or SIGTERM.
 */
abstract class ServerExample implements Example {
    /** The port used without {@code --port}. */
    abstract int defaultPort();

    /** A new service for one server, whose connections live in {@code connections}. */
    abstract Service service(Args args, Connections connections);

    /** The number of loops: one unless the example supports {@code --threads}. */
    int threads(Args args) {
        return 1;
    }

    /** Starts serving on {@code --port} (0: any free port) with {@code --backend}. */
    final Server start(Args args) throws IOException {
        Connections connections = new Connections();
        return Server.start(args.config(), new InetSocketAddress(args.integer("port", defaultPort())),
                threads(args), args.flag("reuseport"), connections, service(args, connections));
    }

    @Override
    public final void run(Args args) throws Exception {
        try (Server server = start(args)) {
            StopSignals.await(args.config(), () -> {
                System.out.println("LISTENING " + server.port());
                System.out.println(name() + ": " + server + "; Ctrl-C stops");
            });
        }
    }
}
