package org.jevent.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jevent.Event;
import org.jevent.EventBase;
import org.jevent.EventBaseConfig;
import org.jevent.Pollable;
import org.jevent.net.Net;
import org.jevent.net.PipeEnds;
import org.jevent.net.ReadableStream;
import org.jevent.net.StreamSocket;
import org.jevent.net.WritableStream;

/**
 * The pipe ping of libevent's test/bench.c, the same procedure as {@code bench/c/pipebench.h}:
 * {@code pipe-bench -p PIPES -a ACTIVE [-w WRITES] [-r ROUNDS] [-t socketpair|pipe] [--backend X]}.
 */
final class PipeBench {
    private final ReadableStream[] readers;
    private final WritableStream[] writers;
    private final MemorySegment byteBuf = Arena.ofAuto().allocate(1);
    private long budget;
    private long read;

    private PipeBench(int pipes) {
        readers = new ReadableStream[pipes];
        writers = new WritableStream[pipes];
    }

    static void run(Options o) throws IOException {
        int pipes = o.integer("p", 100), active = o.integer("a", 1);
        int writes = o.integer("w", pipes);
        int rounds = o.integer("r", Math.max(25, 500_000 / (active + writes)));
        String kind = o.string("t", "socketpair");
        EventBaseConfig.Builder config = EventBaseConfig.builder();
        String backend = o.string("backend", null);
        if (backend != null) config.method(backend);
        try (EventBase base = EventBase.create(config.build())) {
            PipeBench bench = new PipeBench(pipes);
            bench.open(base.net(), kind);
            for (int i = 0; i < pipes; i++) {
                int index = i;
                base.newEvent((Pollable) bench.readers[i], Event.READ | Event.PERSIST, (e, what) -> bench.onReadable(index))
                        .add();
            }
            bench.round(base, active, writes);
            bench.round(base, active, writes);
            long total = 0;
            for (int r = 0; r < rounds; r++) total += bench.round(base, active, writes);
            double usPerRound = total / (double) rounds / 1e3;
            System.out.printf("RESULT bench=pipeping lib=jevent-%s kind=%s pipes=%d active=%d writes=%d rounds=%d"
                    + " us_per_round=%.2f ns_per_event=%.1f%n", base.method(), kind, pipes, active, writes, rounds,
                    usPerRound, usPerRound * 1e3 / (active + writes));
            bench.close();
        }
    }

    private void open(Net net, String kind) throws IOException {
        for (int i = 0; i < readers.length; i++) {
            if (kind.equals("pipe")) {
                PipeEnds p = net.pipe();
                readers[i] = p.source();
                writers[i] = p.sink();
            } else {
                StreamSocket[] pair = net.socketPair();
                readers[i] = pair[0];
                writers[i] = pair[1];
            }
        }
    }

    private long round(EventBase base, int active, int writes) throws IOException {
        int stride = readers.length / active;
        for (int i = 0; i < active; i++) write(i * stride);
        budget = writes;
        read = 0;
        long expected = (long) active + writes;
        long t0 = System.nanoTime();
        while (read < expected) base.loop(EventBase.ONCE | EventBase.NONBLOCK);
        return System.nanoTime() - t0;
    }

    private void onReadable(int i) {
        try {
            if (readers[i].read(byteBuf, 0, 1) != 1) return; // spurious wake-up
            read++;
            if (budget > 0) {
                budget--;
                write(i + 1 == readers.length ? 0 : i + 1);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void write(int i) throws IOException {
        if (writers[i].write(byteBuf, 0, 1) != 1) throw new IOException("pair " + i + " is full");
    }

    private void close() throws IOException {
        for (int i = 0; i < readers.length; i++) {
            readers[i].close();
            writers[i].close();
        }
    }
}
