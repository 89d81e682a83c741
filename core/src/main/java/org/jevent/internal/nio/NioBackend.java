package org.jevent.internal.nio;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.jevent.Event;
import org.jevent.Feature;
import org.jevent.Pollable;
import org.jevent.internal.Backend;
import org.jevent.internal.ReadyList;

/**
 * The portable backend: a {@link Selector} over {@link SelectableChannel}s. It cannot watch
 * raw descriptors (NIO has no way to), and it has no edge-triggered mode. It has no
 * early-close detection either: {@link Event#CLOSED} interest is accepted and never reported,
 * as on libevent's backends without {@code EV_FEATURE_EARLY_CLOSE}.
 *
 * <p>Keys are never cancelled when interest drops to zero, only parked with no interest:
 * a cancelled key cannot be re-registered before the next select, which would make
 * del-then-add from one callback fail. A closed channel cancels its own key.
 */
public final class NioBackend implements Backend {
    private final Selector selector;
    private final Consumer<SelectionKey> collector = this::collect;
    private final ReadyList ready = new ReadyList();

    /** Token holder attached to a key; reused across interest changes. */
    private static final class Registration {
        long token;

        Registration(long token) {
            this.token = token;
        }
    }

    public NioBackend() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public int features() {
        return Feature.O1.bit;
    }

    @Override
    public void update(Pollable handle, long token, int oldInterest, int newInterest) throws IOException {
        SelectableChannel channel = handle.channel();
        if (channel == null) {
            throw new UnsupportedOperationException("nio backend watches NIO channels; " + handle
                    + " is a raw descriptor: use the epoll, poll or select backend, or the base's net() sockets");
        }
        if ((newInterest & Event.ET) != 0) {
            throw new UnsupportedOperationException("nio backend has no edge-triggered mode (Event.ET)");
        }
        SelectionKey key = channel.keyFor(selector);
        int ops = newInterest == 0 ? 0 : opsFor(channel, newInterest);
        if (key == null || !key.isValid()) {
            if (newInterest == 0) return;
            if (channel.isBlocking()) channel.configureBlocking(false);
            channel.register(selector, ops, new Registration(token));
        } else {
            ((Registration) key.attachment()).token = token;
            key.interestOps(ops);
        }
    }

    private static int opsFor(SelectableChannel channel, int interest) {
        int valid = channel.validOps();
        int ops = 0;
        if ((interest & Event.READ) != 0) {
            ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if ((interest & Event.WRITE) != 0) {
            // A connecting socket becomes writable when the connection completes.
            boolean connecting = channel instanceof SocketChannel s && s.isConnectionPending();
            ops |= valid & (connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE);
        }
        return ops;
    }

    @Override
    public int poll(long timeoutNanos) throws IOException {
        ready.clear();
        if (timeoutNanos == 0) {
            selector.selectNow(collector);
        } else if (timeoutNanos < 0) {
            selector.select(collector);
        } else {
            // Milliseconds rounded up: a timer must never fire early (0 would mean forever).
            selector.select(collector, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
        }
        return ready.size();
    }

    private void collect(SelectionKey key) {
        int ops = key.readyOps();
        int events = 0;
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) events |= Event.READ;
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) events |= Event.WRITE;
        if (events == 0) return;
        ready.add(((Registration) key.attachment()).token, events);
    }

    @Override
    public long readyToken(int i) {
        return ready.token(i);
    }

    @Override
    public int readyEvents(int i) {
        return ready.events(i);
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
