package org.jevent.bench;

import java.util.Arrays;

/**
 * Entry point of {@code jevent-bench.jar}: {@code java -jar jevent-bench.jar SUBCOMMAND [--option value]...}.
 *
 * <p>Subcommands are the Java peers of the C programs in {@code bench/c}; each prints the same
 * {@code LISTENING}/{@code RESULT} lines so {@code bench/run.sh} drives them all alike. An unknown
 * subcommand exits with status 2, which the harness reports as "not available" and skips.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("missing subcommand");
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "netty-echo" -> NettyEchoServer.run(Options.parse(rest));
            case "pipe-bench" -> PipeBench.run(Options.parse(rest));
            case "timers" -> TimersBench.run(Options.parse(rest));
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> usage("unknown subcommand: " + args[0]);
        }
    }

    private static void usage(String problem) {
        System.err.println("usage: java -jar jevent-bench.jar SUBCOMMAND [options]");
        System.err.println("  netty-echo --port P [--transport nio|epoll]");
        System.err.println("  pipe-bench -p PIPES -a ACTIVE [-w WRITES] [-r ROUNDS] [-t socketpair|pipe] [--backend M]");
        System.err.println("  timers [-n 1000000] [-s 42]");
        System.err.println("  jmh [JMH options, e.g. -f 1 -wi 3 -i 5 Dispatch]");
        System.err.println(problem); // last, so the harness quotes it when it skips an entry
        System.exit(2);
    }
}
