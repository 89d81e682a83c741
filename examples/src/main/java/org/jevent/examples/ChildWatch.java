package org.jevent.examples;

import java.util.List;
import org.jevent.ChildWatcher;
import org.jevent.EventBase;

/**
 * libev's {@code ev_child} example: starts a command and reports its exit status from the
 * loop, through the JVM's own process reaper. With {@code --trace} (Linux) it also reports
 * the command's stops and continues ({@code kill -STOP PID}, {@code kill -CONT PID}).
 */
final class ChildWatch implements Example {
    @Override public String name() { return "child-watch"; }
    @Override public String summary() { return "runs a command and reports its exit status (libev's ev_child)"; }
    @Override public String usage() { return "[--backend epoll|poll|select|nio] [--trace] -- COMMAND [ARGS...]"; }
    @Override public String[] flags() { return new String[] {"trace"}; }

    @Override
    public void run(Args args) throws Exception {
        List<String> command = args.positional();
        if (command.isEmpty()) throw new IllegalArgumentException("usage: child-watch " + usage());
        try (EventBase base = args.base()) {
            Process process = new ProcessBuilder(command).inheritIO().start();
            System.out.println("started pid " + process.pid() + ": " + String.join(" ", command));
            ChildWatcher child = base.child(process, args.flag("trace"), (w, revents) -> {
                switch (w.state()) {
                    case STOPPED -> System.out.println("pid " + w.pid() + " stopped by signal " + w.stopSignal());
                    case CONTINUED -> System.out.println("pid " + w.pid() + " continued");
                    default -> {
                        System.out.println("pid " + w.pid() + " exited with status " + w.exitValue().orElse(-1));
                        base.loopBreak();
                    }
                }
            });
            child.start();
            base.dispatch();
            child.stop();
        }
    }
}
