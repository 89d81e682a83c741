package org.jevent.bench;

import java.util.concurrent.TimeUnit;
import org.jevent.Event;
import org.jevent.EventBase;
import org.jevent.EventCallback;

/**
 * {@code timers [-n 1000000] [-s 42]}: the timer benchmark of {@code bench/c/timers.h}, with
 * the same splitmix64 draw of timeouts (see bench/README.md).
 */
final class TimersBench {
    private long fired;

    static void run(Options o) throws InterruptedException {
        int n = o.integer("n", 1_000_000);
        long seed = o.integer("s", 42);
        TimersBench bench = new TimersBench();
        bench.pass(n, seed, false); // warm-up
        bench.pass(n, seed, true);
    }

    private void pass(int n, long seed, boolean report) throws InterruptedException {
        try (EventBase base = EventBase.create()) {
            long[] timeoutUs = new long[n];
            long state = seed;
            for (int i = 0; i < n; i++) {
                state += 0x9E3779B97F4A7C15L;
                long z = state;
                z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                timeoutUs[i] = Math.unsignedMultiplyHigh(z ^ (z >>> 31), 1_000_000L);
            }
            EventCallback count = (e, what) -> fired++;
            Event[] timers = new Event[n];
            for (int i = 0; i < n; i++) timers[i] = base.newTimer(count);
            fired = 0;

            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) timers[i].add(timeoutUs[i], TimeUnit.MICROSECONDS);
            long t1 = System.nanoTime();
            for (int i = 1; i < n; i += 2) timers[i].del();
            long t2 = System.nanoTime();
            Thread.sleep(1_100); // untimed: let every remaining timer fall due
            long t3 = System.nanoTime();
            base.dispatch();
            long t4 = System.nanoTime();

            long expected = n - n / 2;
            if (fired != expected) throw new IllegalStateException("fired " + fired + " timers, expected " + expected);
            if (report) {
                System.out.printf("RESULT bench=timers lib=jevent timers=%d ns_per_add=%.1f ns_per_cancel=%.1f"
                        + " ns_per_fire=%.1f fired=%d%n", n, (t1 - t0) / (double) n, (t2 - t1) / (double) (n / 2),
                        (t4 - t3) / (double) expected, fired);
            }
        }
    }
}
