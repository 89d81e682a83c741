package org.jevent.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.jevent.Event;
import org.jevent.EventBase;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The loop's own cost: activate an event and run one non-blocking iteration that calls it. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBenchmark {
    private EventBase base;
    private Event event;
    private long calls;

    @Setup(Level.Trial)
    public void setUp() {
        base = EventBase.create();
        event = base.newTimer((e, w) -> calls++);
    }

    @Benchmark
    public long activateAndDispatch() {
        event.activate(Event.TIMEOUT);
        base.loop(EventBase.NONBLOCK);
        return calls;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        base.close();
    }
}
