package org.jevent.examples;

import java.time.Duration;
import java.time.Instant;
import org.jevent.EventBase;
import org.jevent.Periodic;

/**
 * libev's {@code ev_periodic} example: fires on wall-clock boundaries (every full second, every
 * full minute...), unlike a timer, which counts elapsed time. If the system clock is set, the
 * next firing follows the new time.
 */
final class PeriodicClock implements Example {
    @Override public String name() { return "periodic"; }
    @Override public String summary() { return "fires on wall-clock boundaries (libev's ev_periodic)"; }
    @Override public String usage() { return "[--every 1s] [--count N] [--backend epoll|poll|select|nio]"; }

    @Override
    public void run(Args args) throws Exception {
        Duration every = args.duration("every", Duration.ofSeconds(1));
        int count = args.integer("count", Integer.MAX_VALUE);
        try (EventBase base = args.base(); StopSignals stop = new StopSignals(base)) {
            int[] fired = {0};
            // Offset 0 and an interval: due at every multiple of the interval since the epoch.
            Periodic periodic = base.periodic(Instant.EPOCH, every, (p, revents) -> {
                System.out.println("periodic at " + Instant.now() + " (scheduled " + p.at().minus(every) + ")");
                if (++fired[0] >= count) base.loopBreak();
            });
            periodic.start();
            System.out.println("next at " + periodic.at() + ", then every " + every + "; Ctrl-C stops");
            base.dispatch();
            periodic.stop();
        }
    }
}
