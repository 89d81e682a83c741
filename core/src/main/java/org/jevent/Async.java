package org.jevent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An async watcher ({@code ev_async}): {@link #send} from any thread makes its callback run
 * on the loop thread with {@link #ASYNC}. Sends coalesce: however many arrive before the loop
 * notices, the callback runs once; a send after the loop noticed runs it again. jevent's
 * child, stat and embed watchers reach the loop through it.
 *
 * <p>{@link #send} takes no lock and allocates nothing: a flag flip, then the backend's
 * wake-up (one eventfd write, or {@code Selector.wakeup}) only for the first send.
 */
public final class Async extends Watcher {
    private static final VarHandle SENT;

    static {
        try {
            SENT = MethodHandles.lookup().findVarHandle(Async.class, "sent", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through SENT
    private volatile int sent;

    Async(EventBase base, WatcherCallback<Async> callback) {
        super(base, null, -1, 0, callback);
    }

    @Override
    void onStart() {
        sent = 0; // as ev_async_start: sends before the start are forgotten
        base.watch(event, base.asyncs);
    }

    @Override
    void onStop() {
        base.unwatch(event, base.asyncs);
    }

    /**
     * {@code ev_async_send}: any thread, any time; the callback runs in a coming iteration.
     * A send to a stopped watcher is lost ({@link #start} forgets it).
     */
    public void send() {
        if (sent == 0 && SENT.compareAndSet(this, 0, 1)) base.asyncSent();
    }

    /**
     * {@code ev_async_pending}: a send happened that the loop has not noticed yet (once it
     * has, the watcher is pending and this is false again).
     */
    public boolean isSent() {
        return sent != 0;
    }

    /** Called by the loop: clears the flag, true when it was set. */
    boolean takeSent() {
        return sent != 0 && SENT.compareAndSet(this, 1, 0);
    }
}
