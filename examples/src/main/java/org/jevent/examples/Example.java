package org.jevent.examples;

/** One runnable sample of {@code bin/jevent-examples}. */
interface Example {
    /** The name it is run by, e.g. "echo". */
    String name();

    /** One line for the list of examples. */
    String summary();

    /** The options, for {@code --help}. */
    String usage();

    /** The options that take no value, e.g. "reuseport" for {@code --reuseport}. */
    default String[] flags() {
        return new String[0];
    }

    /** Runs until done, or until SIGINT or SIGTERM. */
    void run(Args args) throws Exception;
}
