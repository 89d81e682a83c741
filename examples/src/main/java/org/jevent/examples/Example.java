package org.jevent.examples;

/** One runnable sample of {@code bin/jevent-examples}. */
interface Example {
    /** The name it is run by, e.g. "echo". */
    String name();

    /** One line for the list of examples. */
    String summary();

    /** The options, for {@code --help}. */
    String usage();

    void run(Args args) throws Exception;
}
