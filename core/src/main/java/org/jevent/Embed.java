package org.jevent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Semaphore;
import org.jevent.internal.Backend;
import org.jevent.internal.Backends;

/**
 * An embed watcher ({@code ev_embed}): serves another base (the inner one) inside this base's
 * iterations. When the inner base has something to do, the watcher is invoked with
 * {@link #EMBED}; its callback should call {@link #sweep} (the default callback does just
 * that), which runs one non-blocking iteration of the inner base on this base's thread. Use it
 * to let an epoll base serve many descriptors inside a base of another kind, or to run a base
 * only when the outer loop wants.
 *
 * <p>Only a base with a pollable backend descriptor can be embedded: epoll (libev too allows
 * only some backends). How the inner base's readiness reaches the outer one:
 * <ul>
 *   <li>Outer base on a descriptor backend (epoll, poll, select): the inner epoll descriptor
 *       is watched directly, like any descriptor (epoll descriptors poll readable when their
 *       own set has readiness).</li>
 *   <li>Outer base on nio: a Selector cannot watch a raw descriptor, so a helper thread blocks
 *       in poll(2) on the inner descriptor and wakes the outer base through an {@link Async};
 *       it waits for the callback to finish before it polls again, so a readiness is reported
 *       once.</li>
 * </ul>
 * The inner base's own cross-thread wake-ups (it is woken through a descriptor in its epoll
 * set) reach the outer base the same way. Its timers do not: they are served when it is
 * swept, so an inner base with timers needs sweeping often enough (or an outer timer). Files
 * that epoll cannot watch (always ready) do not wake the inner descriptor either.
 */
public final class Embed extends Watcher {
    private final EventBase inner;
    private Io direct;
    private Relay relay;

    /** The nio path: a thread polling the inner descriptor on the outer base's behalf. */
    private final class Relay implements Runnable {
        final Semaphore swept = new Semaphore(0);
        final Async ready = new Async(base, (a, revents) -> {
            try {
                invokeIfActive();
            } finally {
                swept.release();
            }
        });
        final Backend poller;
        final Thread thread;
        volatile boolean stopped;

        Relay() {
            try {
                poller = Backends.open("poll");
                poller.update(Pollable.of(inner.backendFd()), 0, 0, READ);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot poll " + inner, e);
            }
            thread = Thread.ofPlatform().daemon().name("jevent-embed " + inner).unstarted(this);
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    if (poller.poll(-1) == 0 || stopped) continue; // woken to stop
                    ready.send();
                    swept.acquireUninterruptibly();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("polling " + inner, e);
            }
        }

        void stop() {
            stopped = true;
            poller.wakeup();
            swept.release();
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            poller.close();
            ready.stop();
        }
    }

    Embed(EventBase base, EventBase inner, WatcherCallback<Embed> callback) {
        super(base, null, -1, 0, callback);
        if (inner == base) throw new IllegalArgumentException("a base cannot embed itself");
        if (inner.backendFd() < 0) {
            throw new IllegalArgumentException("cannot embed a " + inner.method() + " base: only epoll has a pollable descriptor");
        }
        this.inner = inner;
    }

    @Override
    void onStart() {
        base.watch(event, null);
        int fd = inner.backendFd();
        if (base.watchesDescriptors()) {
            direct = new Io(base, Pollable.of(fd), READ, (w, revents) -> invokeIfActive());
            direct.event.priority = event.priority;
            direct.unref();
            direct.start();
        } else {
            relay = new Relay();
            relay.ready.event.priority = event.priority;
            relay.ready.unref();
            relay.ready.start();
            relay.thread.start();
        }
    }

    private void invokeIfActive() {
        if (isActive()) invoke(EMBED);
    }

    @Override
    void onStop() {
        if (direct != null) {
            direct.stop();
            direct = null;
        }
        if (relay != null) {
            relay.stop();
            relay = null;
        }
        base.unwatch(event, null);
    }

    /**
     * {@code ev_embed_sweep}: one non-blocking iteration of the inner base
     * ({@code inner.run(RUN_NOWAIT)}), on the calling thread.
     */
    public void sweep() {
        inner.run(EventBase.RUN_NOWAIT);
    }

    /** {@code w->other}: the embedded base. */
    public EventBase inner() {
        return inner;
    }
}
