package org.jevent;

import java.util.function.Consumer;

/**
 * The fields of an {@link Event} that few events use: common-timeout bookkeeping, a pending
 * finalizer, the signal number and its arrival count, where debug mode saw it closed. An event
 * gets this side object on first need ({@link Event#extras()}), so an ordinary I/O event or
 * timer does not carry them: a connection has two events, and every byte counts per
 * connection. Guarded by the base's lock, like the event's own bookkeeping.
 */
final class EventExtras {
    /**
     * The signal an {@link Event#SIGNAL} event watches; 0 (no signal's number) for none, the
     * default, so fresh extras read without the lock ({@link Event#fd}) never show a signal.
     */
    int signo;
    /** How often a signal event's callback runs for its current activation (signals coalesce). */
    int signalCalls;
    /** The common timeout the re-arm of a persistent event uses, or null. */
    CommonTimeout rearmTimeout;
    /** The common-timeout queue the event waits in now, or null (then it is in the heap). */
    CommonTimeout commonTimeout;
    /** Set on a common timeout's own heap entry. */
    CommonTimeout ownerTimeout;
    /** Common-timeout-queue links, see {@link EventList}. */
    Event timeoutNext, timeoutPrev;
    /** What {@link Event#finalizeWith} asked to run, until it runs. */
    Consumer<Event> finalizer;
    /** Debug mode: where the event was closed, for the exception of a later misuse. */
    Throwable closedAt;
}
