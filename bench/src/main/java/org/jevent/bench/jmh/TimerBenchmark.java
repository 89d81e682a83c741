package org.jevent.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jevent.Event;
import org.jevent.EventBase;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The timer heap under load: re-adding one timer among {@code pending} others (an add + a remove). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimerBenchmark {
    @Param({"1000", "100000"})
    int pending;

    private EventBase base;
    private Event[] timers;
    private final SplittableRandom random = new SplittableRandom(42);
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        base = EventBase.create();
        timers = new Event[pending];
        for (int i = 0; i < pending; i++) {
            timers[i] = base.newTimer((e, w) -> {});
            timers[i].add(1 + random.nextInt(1_000_000), TimeUnit.MICROSECONDS);
        }
    }

    @Benchmark
    public Event readd() {
        Event e = timers[next];
        next = next + 1 == pending ? 0 : next + 1;
        e.add(1 + random.nextInt(1_000_000), TimeUnit.MICROSECONDS);
        return e;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        base.close();
    }
}
