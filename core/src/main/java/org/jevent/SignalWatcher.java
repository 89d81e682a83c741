package org.jevent;

/**
 * A signal watcher ({@code ev_signal}): invoked with {@link #SIGNAL} after the signal
 * arrived, once per delivery; a thin wrapper over a signal {@link Event} (see
 * {@link EventBase#newSignal} for which signals the JVM lets us watch). Unlike libev, where
 * one loop owns a signal, every base with a watcher for it is invoked.
 */
public final class SignalWatcher extends Watcher {
    SignalWatcher(EventBase base, int signo, WatcherCallback<SignalWatcher> callback) {
        super(base, null, checked(signo), Event.SIGNAL | Event.PERSIST, callback);
    }

    private static int checked(int signo) {
        if (Signals.name(signo) == null) throw new IllegalArgumentException("unsupported signal number " + signo);
        return signo;
    }

    @Override
    void onStart() {
        event.add();
    }

    @Override
    void onStop() {
        base.del(event, false);
    }

    /** {@code w->signum}. */
    public int signal() {
        return event.signo();
    }
}
