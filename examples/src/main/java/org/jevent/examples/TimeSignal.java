package org.jevent.examples;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import org.jevent.Event;
import org.jevent.EventBase;
import org.jevent.Pollable;

/**
 * libev's first example, and libevent's signal and timer samples, in one: a timer ticks, a
 * line typed on stdin is echoed, and SIGINT (Ctrl-C) or SIGTERM ends the loop cleanly.
 */
final class TimeSignal implements Example {
    @Override public String name() { return "time-signal"; }
    @Override public String summary() { return "timer ticks, stdin lines echoed, Ctrl-C stops (libev's classic)"; }
    @Override public String usage() { return "[--every 1s] [--backend epoll|poll|select|nio]"; }

    @Override
    public void run(Args args) throws Exception {
        Duration every = args.duration("every", Duration.ofSeconds(1));
        try (EventBase base = args.base()) {
            // A persistent timer: a pure timeout event that re-arms itself after each run.
            long start = System.nanoTime();
            Event tick = base.newEvent((Pollable) null, Event.PERSIST, (e, what) ->
                    System.out.printf("tick at %.1fs%n", (System.nanoTime() - start) / 1e9));
            tick.add(every);

            // stdin: the descriptor backends watch fd 0 directly. NIO cannot select on stdin, so
            // there a virtual thread reads lines and hands each to the loop with activate().
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            Event line = stdinEvent(base, in);

            // SIGINT and SIGTERM break the loop (see StopSignals).
            try (StopSignals stop = new StopSignals(base)) {
                System.out.println("jevent " + base.method() + ": type a line, or Ctrl-C to stop");
                base.dispatch();
            }
            tick.close();
            line.close();
        }
    }

    private static Event stdinEvent(EventBase base, BufferedReader in) {
        if (base.method().equals("nio")) {
            Event line = base.newTimer((e, what) -> System.out.println("you typed: " + e.attachment()));
            Thread.ofVirtual().start(() -> {
                try {
                    for (String s; (s = in.readLine()) != null; ) {
                        line.attach(s).activate(Event.READ);
                    }
                } catch (java.io.IOException | IllegalStateException over) {
                    // stdin failed, or the event was closed because the example is over
                }
            });
            return line;
        }
        Event line = base.newEvent(Pollable.of(0), Event.READ | Event.PERSIST, (e, what) -> {
            try {
                String s = in.readLine();
                if (s == null) e.del(); // end of input
                else System.out.println("you typed: " + s);
            } catch (java.io.IOException ex) {
                e.del();
            }
        });
        line.add();
        return line;
    }
}
