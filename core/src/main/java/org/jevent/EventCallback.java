package org.jevent;

/**
 * Called on the loop thread when an event becomes active ({@code event_callback_fn}).
 * {@code what} holds the reasons: {@link Event#READ}, {@link Event#WRITE},
 * {@link Event#TIMEOUT}, {@link Event#SIGNAL}, {@link Event#CLOSED}, or the bits given to
 * {@link Event#activate}. The callback may add, delete or close its own event and any other.
 */
@FunctionalInterface
public interface EventCallback {
    void onEvent(Event event, int what);
}
