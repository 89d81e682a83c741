/**
 * jevent core: the event loop ({@code event_base}), events, backends and sockets.
 *
 * <p>FFM code lives in {@code org.jevent.internal.linux}; run with
 * {@code --enable-native-access=org.jevent} (or {@code ALL-UNNAMED} on the class path).
 */
module org.jevent {
    requires jdk.unsupported; // sun.misc.Signal
    exports org.jevent;
    exports org.jevent.net;
    exports org.jevent.buffer;
    exports org.jevent.bufferevent;
    exports org.jevent.listener;
}
