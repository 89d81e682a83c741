package org.jevent.examples;

/**
 * The echo server: every byte a client sends comes back ({@link EchoService}). Try
 * {@code nc 127.0.0.1 9996}. It is also what {@code bench/run.sh} measures, so the service is
 * lean: no allocation and no logging per message.
 *
 * <p>With {@code --threads N} it runs N event loops, one base per thread: loop 0 accepts and
 * hands the connections round-robin to all loops, or with {@code --reuseport} every loop
 * accepts on its own {@code SO_REUSEPORT} listener (see {@link Server}).
 */
final class Echo extends ServerExample {
    @Override public String name() { return "echo"; }
    @Override public String summary() { return "echoes what clients send, with back-pressure; the benchmarked server"; }
    @Override public String usage() {
        return "[--port 9996] [--threads N] [--reuseport] [--backend epoll|poll|select|nio]";
    }
    @Override public String[] flags() { return new String[] {"reuseport"}; }
    @Override int defaultPort() { return 9996; }
    @Override int threads(Args args) { return args.integer("threads", 1); }

    @Override
    Service service(Args args, Connections connections) {
        return new EchoService(connections, EchoService.HIGH_WATERMARK);
    }
}
