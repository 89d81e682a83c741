package org.jevent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Process-wide signal fan-out. The JVM runs signal handlers on its own "Signal Dispatcher"
 * thread; this hub forwards each signal to every base watching it (counting deliveries and
 * waking the base), as libevent's socketpair trick does for one base.
 *
 * <p>Why {@code sun.misc.Signal} and not signalfd: signalfd only works when the signal is
 * blocked in every thread, which a JVM (whose GC, JIT and dispatcher threads exist before
 * us) cannot promise, and an unblocked thread would run the JVM's own handler instead.
 * {@code sun.misc.Signal} is the JVM's supported hook, works on every backend and OS, and
 * lets us restore the previous handler when the last watcher goes.
 *
 * <p>Unlike libevent, where only the most recent base receives signals, every base with an
 * event for a signal receives it.
 */
final class SignalHub {
    private static final Object LOCK = new Object();
    private static final List<CopyOnWriteArrayList<EventBase>> WATCHERS = new ArrayList<>();
    private static final Object[] PREVIOUS = new Object[Signals.MAX + 1];
    private static final Object FORWARD = JvmSignals.handler(SignalHub::deliver);

    static {
        for (int i = 0; i <= Signals.MAX; i++) WATCHERS.add(new CopyOnWriteArrayList<>());
    }

    private SignalHub() {}

    /** Starts delivering {@code signo} to {@code base}. */
    static void watch(int signo, EventBase base) {
        String name = Signals.name(signo);
        if (name == null) throw new IllegalArgumentException("unsupported signal number " + signo);
        synchronized (LOCK) {
            CopyOnWriteArrayList<EventBase> bases = WATCHERS.get(signo);
            if (bases.isEmpty()) {
                try {
                    PREVIOUS[signo] = JvmSignals.install(name, FORWARD);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("cannot watch SIG" + name + ": " + e.getMessage(), e);
                }
            }
            if (!bases.contains(base)) bases.add(base);
        }
    }

    /** Stops delivering {@code signo} to {@code base}; restores the old handler after the last. */
    static void unwatch(int signo, EventBase base) {
        synchronized (LOCK) {
            CopyOnWriteArrayList<EventBase> bases = WATCHERS.get(signo);
            if (!bases.remove(base) || !bases.isEmpty()) return;
            JvmSignals.install(Signals.name(signo), PREVIOUS[signo]);
            PREVIOUS[signo] = null;
        }
    }

    private static void deliver(int signo) {
        for (EventBase base : WATCHERS.get(signo)) base.signalArrived(signo);
    }
}
