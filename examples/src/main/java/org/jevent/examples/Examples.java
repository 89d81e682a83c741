package org.jevent.examples;

import java.util.Arrays;
import java.util.List;

/**
 * The launcher of {@code bin/jevent-examples <name> [options]}: libevent's sample/ programs
 * and libev's manual examples, written with jevent. Each example's source is a short
 * tutorial; start with {@link HelloWorld}, then {@link Echo}.
 */
public final class Examples {
    private static final List<Example> ALL = List.of(new HelloWorld(), new Echo(), new Rot13(), new Chat(), new TimeSignal(),
            new StatWatch(), new ChildWatch(), new PeriodicClock());

    private Examples() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
            System.out.println("usage: bin/jevent-examples <name> [options]   (<name> --help for its options)");
            for (Example e : ALL) System.out.printf("  %-12s %s%n", e.name(), e.summary());
            return;
        }
        Example example = ALL.stream().filter(e -> e.name().equals(argv[0])).findFirst().orElse(null);
        if (example == null) {
            System.err.println("unknown example: " + argv[0] + " (try --help)");
            System.exit(2);
        }
        Args args = Args.parse(Arrays.copyOfRange(argv, 1, argv.length), example.flags());
        if (args.flag("help")) {
            System.out.println("usage: bin/jevent-examples " + example.name() + " " + example.usage());
            System.out.println(example.summary());
            return;
        }
        example.run(args);
    }
}
