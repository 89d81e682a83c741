package org.jevent;

/**
 * What a backend can do ({@code enum event_method_feature}). Ask for features with
 * {@link EventBaseConfig.Builder#requireFeatures}; read them with {@link EventBase#features()}.
 */
public enum Feature {
    /** {@code EV_FEATURE_ET}: edge-triggered events ({@link Event#ET}). epoll only. */
    EDGE_TRIGGERED(0x01),
    /** {@code EV_FEATURE_O1}: adding, deleting and one ready event cost O(1). epoll and nio. */
    O1(0x02),
    /** {@code EV_FEATURE_FDS}: any descriptor, not only sockets (pipes, ttys...). poll and select. */
    FDS(0x04),
    /** {@code EV_FEATURE_EARLY_CLOSE}: {@link Event#CLOSED} without reading pending data. epoll. */
    EARLY_CLOSE(0x08);

    /** libevent's bit value. */
    public final int bit;

    Feature(int bit) {
        this.bit = bit;
    }

    /** The features in {@code mask}. */
    public static java.util.Set<Feature> of(int mask) {
        java.util.EnumSet<Feature> set = java.util.EnumSet.noneOf(Feature.class);
        for (Feature f : values()) if ((mask & f.bit) != 0) set.add(f);
        return set;
    }
}
