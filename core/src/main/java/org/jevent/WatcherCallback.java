package org.jevent;

/**
 * Called on the loop thread when a {@link Watcher} is invoked (libev's watcher callback,
 * {@code void cb(struct ev_loop *, ev_TYPE *w, int revents)}). {@code revents} holds the
 * reasons: {@link Watcher#READ}, {@link Watcher#TIMER}, {@link Watcher#ASYNC}... or the bits
 * given to {@link Watcher#feed}. The callback may start and stop any watcher, its own too.
 *
 * @param <W> the kind of watcher
 */
@FunctionalInterface
public interface WatcherCallback<W extends Watcher> {
    void onEvent(W watcher, int revents);
}
