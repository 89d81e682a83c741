package org.jevent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to build an {@link EventBase} ({@code struct event_config}). Immutable; make one with
 * {@link #builder()}.
 *
 * @param avoidedMethods   methods never to use ({@code event_config_avoid_method})
 * @param requiredFeatures feature mask every candidate must have ({@code event_config_require_features})
 * @param ignoreEnvironment ignore {@code JEVENT_NO<METHOD>} and {@code JEVENT_SHOW_METHOD}
 *                         ({@code EVENT_BASE_FLAG_IGNORE_ENV})
 * @param noCacheTime      read the clock on every {@link EventBase#now()} instead of once per
 *                         iteration ({@code EVENT_BASE_FLAG_NO_CACHE_TIME})
 * @param preciseTimer     {@code EVENT_BASE_FLAG_PRECISE_TIMER}; jevent always uses the precise
 *                         monotonic clock and nanosecond waits where the backend has them, so
 *                         this only documents intent
 * @param priorities       number of priorities, 1..256 ({@code event_base_priority_init})
 * @param maxDispatchNanos with {@code maxCallbacks} and {@code minPriority}:
 *                         {@code event_config_set_max_dispatch_interval}; -1 = no limit
 * @param priorityMode     libevent's strict lock-out or libev's ordering within an iteration
 */
public record EventBaseConfig(List<String> avoidedMethods, int requiredFeatures, boolean ignoreEnvironment,
        boolean noCacheTime, boolean preciseTimer, int priorities, long maxDispatchNanos, int maxCallbacks,
        int minPriority, PriorityMode priorityMode) {

    /** The defaults: any method, one priority, no dispatch limits. */
    public static final EventBaseConfig DEFAULT = builder().build();

    public EventBaseConfig {
        avoidedMethods = List.copyOf(avoidedMethods);
        Objects.requireNonNull(priorityMode, "priorityMode");
        if (priorities < 1 || priorities > EventBase.MAX_PRIORITIES) {
            throw new IllegalArgumentException("priorities must be 1.." + EventBase.MAX_PRIORITIES + ": " + priorities);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link EventBaseConfig}. */
    public static final class Builder {
        private final List<String> avoided = new ArrayList<>();
        private int features;
        private boolean ignoreEnv, noCacheTime, precise;
        private int priorities = 1;
        private long maxDispatchNanos = -1;
        private int maxCallbacks = Integer.MAX_VALUE;
        private int minPriority;
        private PriorityMode priorityMode = PriorityMode.STRICT;

        private Builder() {}

        /** Never use {@code method} ("epoll", "poll", "select", "nio"). */
        public Builder avoidMethod(String method) {
            avoided.add(Objects.requireNonNull(method));
            return this;
        }

        /** Use only {@code method}: avoids every other one. */
        public Builder method(String method) {
            for (String m : EventBase.ALL_METHODS) if (!m.equals(method)) avoided.add(m);
            return this;
        }

        public Builder requireFeatures(Feature... required) {
            for (Feature f : required) features |= f.bit;
            return this;
        }

        public Builder ignoreEnvironment() {
            ignoreEnv = true;
            return this;
        }

        public Builder noCacheTime() {
            noCacheTime = true;
            return this;
        }

        public Builder preciseTimer() {
            precise = true;
            return this;
        }

        public Builder priorities(int n) {
            priorities = n;
            return this;
        }

        /**
         * Bounds how long the loop runs callbacks of priority {@code >= minPriority} before it
         * polls for new events again: after {@code maxCallbacks} callbacks or {@code interval}
         * (null for no time bound), whichever comes first.
         */
        public Builder maxDispatchInterval(Duration interval, int maxCallbacks, int minPriority) {
            if (maxCallbacks < 1) throw new IllegalArgumentException("maxCallbacks must be positive");
            this.maxDispatchNanos = interval == null ? -1 : interval.toNanos();
            this.maxCallbacks = maxCallbacks;
            this.minPriority = minPriority;
            return this;
        }

        /**
         * {@link PriorityMode#STRICT} (libevent, the default) or {@link PriorityMode#ORDERED}
         * (libev). For libev's five priorities use {@code priorities(5)}: a watcher's priority
         * -2..2 then maps one to one onto levels 4..0.
         */
        public Builder priorityMode(PriorityMode mode) {
            this.priorityMode = Objects.requireNonNull(mode);
            return this;
        }

        public EventBaseConfig build() {
            return new EventBaseConfig(avoided, features, ignoreEnv, noCacheTime, precise, priorities,
                    maxDispatchNanos, maxCallbacks, minPriority, priorityMode);
        }
    }
}
