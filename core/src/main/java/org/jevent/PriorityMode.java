package org.jevent;

/**
 * How an {@link EventBase} treats priority levels when callbacks of several levels are active.
 * Choose it with {@link EventBaseConfig.Builder#priorityMode}.
 */
public enum PriorityMode {
    /**
     * libevent's strict lock-out (the default): after the callbacks of the most urgent active
     * level have run, the loop polls again before it looks at less urgent levels, so those
     * may starve while urgent events keep arriving.
     */
    STRICT,
    /**
     * libev's ordering within an iteration: every active level runs in each iteration, most
     * urgent first, so priorities only order callbacks. Idle watchers are the exception: they
     * run only when nothing of their level or a more urgent one is pending (as in libev).
     */
    ORDERED
}
