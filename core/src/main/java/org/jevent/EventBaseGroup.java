package org.jevent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * N event loops on N threads ({@code jevent-loop-0} ...), one {@link EventBase} each, made from
 * one {@link EventBaseConfig}: the "one base per thread" layout libevent recommends for
 * multi-core servers. Connections are spread over the loops with {@link #next()}; other
 * threads reach a loop through {@link EventLoop#execute}.
 *
 * <p>Two server models are built on it in {@code org.jevent.listener}:
 * {@link org.jevent.listener.AcceptHandoff} (one accepting loop hands connections to the
 * others) and {@link org.jevent.listener.ReusePortServer} (a listener per loop on one
 * {@code SO_REUSEPORT} port). For example:
 * <pre>{@code
 * try (EventBaseGroup group = EventBaseGroup.start(4, EventBaseConfig.DEFAULT)) {
 *     AcceptHandoff server = AcceptHandoff.bind(group, new InetSocketAddress(8080),
 *             ConnListener.REUSEABLE, -1, (loop, socket, peer) -> new Echo(loop.base(), socket));
 *     ...
 *     group.shutdownGracefully(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <h2>Shutdown</h2>
 * {@link #shutdownGracefully} runs the shutdown hooks on every loop (servers register one
 * that stops accepting; add your own with {@link #addShutdownHook}, e.g. to stop reading
 * from idle connections while writes in flight finish), then lets each loop run until no
 * event is pending or active on it. Loops still busy when the timeout passes are broken,
 * and queued tasks that did not run are dropped. Then the threads are joined and the bases
 * closed.
 */
public final class EventBaseGroup implements AutoCloseable {
    /** How long {@link #close()} lets the loops finish their work. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

    private final EventLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final List<Consumer<EventLoop>> hooks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean shutdown = new AtomicBoolean();

    private EventBaseGroup(EventLoop[] loops) {
        this.loops = loops;
    }

    /**
     * Creates {@code size} bases from {@code config} and starts a thread running each.
     *
     * @throws IllegalStateException when the bases would not all use the same method
     *         (sockets move between loops, so they must all suit one backend)
     */
    public static EventBaseGroup start(int size, EventBaseConfig config) {
        if (size < 1) throw new IllegalArgumentException("a group needs at least one loop: " + size);
        EventLoop[] loops = new EventLoop[size];
        try {
            for (int i = 0; i < size; i++) {
                loops[i] = new EventLoop(i, EventBase.create(config));
                if (!loops[i].base().method().equals(loops[0].base().method())) {
                    throw new IllegalStateException("loops would use both " + loops[0].base().method()
                            + " and " + loops[i].base().method());
                }
            }
        } catch (RuntimeException e) {
            for (EventLoop loop : loops) if (loop != null) loop.base().close();
            throw e;
        }
        for (EventLoop loop : loops) loop.start();
        return new EventBaseGroup(loops);
    }

    /** The number of loops. */
    public int size() {
        return loops.length;
    }

    /** Loop {@code index}, from 0. */
    public EventLoop loop(int index) {
        return loops[index];
    }

    /** The next loop in round-robin order; safe from any thread. */
    public EventLoop next() {
        return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    /**
     * Adds a hook that {@link #shutdownGracefully} runs on every loop's thread, with that
     * loop, before the loops drain: stop accepting, stop reading, flush what is left.
     */
    public void addShutdownHook(Consumer<EventLoop> hook) {
        hooks.add(hook);
    }

    /** Removes a hook added by {@link #addShutdownHook}. */
    public void removeShutdownHook(Consumer<EventLoop> hook) {
        hooks.remove(hook);
    }

    /** Whether shutdown has begun. */
    public boolean isShutdown() {
        return shutdown.get();
    }

    /**
     * Stops the group: runs the shutdown hooks on every loop, lets the loops run until they
     * have no event left, breaks those still running after {@code timeout}, and waits for all
     * threads to end. Calling it again waits again. Not from a loop thread of this group.
     *
     * @return true when every loop finished its work within the timeout
     */
    public boolean shutdownGracefully(Duration timeout) {
        for (EventLoop loop : loops) {
            if (loop.inLoop()) throw new IllegalStateException("cannot wait for the group from its own loop");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        if (shutdown.compareAndSet(false, true)) {
            List<Consumer<EventLoop>> snapshot = List.copyOf(hooks);
            for (EventLoop loop : loops) loop.beginShutdown(snapshot);
        }
        boolean graceful = true;
        boolean interrupted = false;
        for (EventLoop loop : loops) {
            try {
                if (!loop.awaitTermination(deadline - System.nanoTime())) {
                    graceful = false;
                    loop.force();
                }
            } catch (InterruptedException e) {
                interrupted = true;
                graceful = false;
                loop.force();
            }
        }
        for (EventLoop loop : loops) {
            while (true) {
                try {
                    loop.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return graceful;
    }

    /** {@link #shutdownGracefully} with {@link #CLOSE_TIMEOUT}. */
    @Override
    public void close() {
        shutdownGracefully(CLOSE_TIMEOUT);
    }
}
