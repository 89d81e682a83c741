package org.jevent.examples;

import org.jevent.Event;
import org.jevent.EventBase;
import org.jevent.EventBaseConfig;
import org.jevent.Signals;

/**
 * Ends a loop on SIGINT (Ctrl-C) or SIGTERM. Signals are ordinary events in libevent
 * ({@code evsignal_new}): the handler only notes the signal, and the callback runs later on
 * the loop thread, where it may do anything, here {@code event_base_loopbreak}. Closing the
 * events gives the signals back to the JVM.
 */
final class StopSignals implements AutoCloseable {
    private static final int[] STOPPING = {Signals.SIGINT, Signals.SIGTERM};

    private final Event[] events = new Event[STOPPING.length];

    /** Watches the signals on {@code base}: its loop breaks when one arrives. */
    StopSignals(EventBase base) {
        for (int i = 0; i < STOPPING.length; i++) {
            events[i] = base.newSignal(STOPPING[i], (e, what) -> {
                System.out.println("caught SIG" + Signals.name(e.fd()) + ", stopping");
                base.loopBreak();
            });
            events[i].add();
        }
    }

    /**
     * Blocks until SIGINT or SIGTERM, on a base of its own: for examples whose loops run on
     * other threads (an {@link org.jevent.EventBaseGroup}). {@code ready} runs once the
     * signals are watched, so a script that reads its output and then signals never finds the
     * JVM's default handler still in place.
     */
    static void await(EventBaseConfig config, Runnable ready) {
        try (EventBase base = EventBase.create(config); StopSignals stop = new StopSignals(base)) {
            ready.run();
            base.dispatch();
        }
    }

    @Override
    public void close() {
        for (Event e : events) e.close();
    }
}
