package org.jevent.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jevent.buffer.BufferPosition;
import org.jevent.buffer.EvBuffer;
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

/** evbuffer hot paths: add then remove a message, move a message between buffers, search. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EvBufferBenchmark {
    @Param({"64", "16384"})
    int size;

    private EvBuffer in;
    private EvBuffer out;
    private EvBuffer haystack;
    private byte[] message;
    private byte[] sink;
    private final byte[] needle = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Setup(Level.Trial)
    public void setUp() {
        in = new EvBuffer();
        out = new EvBuffer();
        haystack = new EvBuffer();
        message = new byte[size];
        sink = new byte[size];
        for (int i = 0; i < size; i++) message[i] = (byte) ('a' + i % 26);
        for (int i = 0; i < 64; i++) haystack.add(message);
        haystack.add(needle);
    }

    @Benchmark
    public int addRemove() {
        in.add(message);
        return in.remove(sink);
    }

    @Benchmark
    public long moveBetweenBuffers() {
        in.add(message);
        out.addBuffer(in);
        long n = out.length();
        out.drain(n);
        return n;
    }

    @Benchmark
    public long searchAcrossSegments() {
        return haystack.search(needle, null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        in.close();
        out.close();
        haystack.close();
    }
}
