package org.jevent.internal.linux;

import static org.jevent.internal.linux.SocketCalls.IPPROTO_TCP;
import static org.jevent.internal.linux.SocketCalls.SOL_SOCKET;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Map;
import java.util.Objects;
import org.jevent.net.ErrnoException;

/** Maps {@link StandardSocketOptions} to setsockopt/getsockopt levels and names. */
final class NativeOptions {
    private record Key(int level, int name) {}

    private static final Map<SocketOption<?>, Key> KEYS = Map.of(
            StandardSocketOptions.TCP_NODELAY, new Key(IPPROTO_TCP, SocketCalls.TCP_NODELAY),
            StandardSocketOptions.SO_KEEPALIVE, new Key(SOL_SOCKET, SocketCalls.SO_KEEPALIVE),
            StandardSocketOptions.SO_SNDBUF, new Key(SOL_SOCKET, SocketCalls.SO_SNDBUF),
            StandardSocketOptions.SO_RCVBUF, new Key(SOL_SOCKET, SocketCalls.SO_RCVBUF),
            StandardSocketOptions.SO_REUSEADDR, new Key(SOL_SOCKET, SocketCalls.SO_REUSEADDR),
            StandardSocketOptions.SO_REUSEPORT, new Key(SOL_SOCKET, SocketCalls.SO_REUSEPORT),
            StandardSocketOptions.SO_BROADCAST, new Key(SOL_SOCKET, SocketCalls.SO_BROADCAST));

    private NativeOptions() {}

    static <T> void set(int fd, SocketOption<T> option, T value) throws ErrnoException {
        Objects.requireNonNull(value, "value");
        if (option == StandardSocketOptions.SO_LINGER) {
            SocketCalls.setLinger(fd, (Integer) value);
            return;
        }
        Key key = key(option);
        int raw = value instanceof Boolean on ? (on ? 1 : 0) : (Integer) value;
        SocketCalls.setInt(fd, key.level, key.name, raw);
    }

    static <T> T get(int fd, SocketOption<T> option) throws ErrnoException {
        if (option == StandardSocketOptions.SO_LINGER) return option.type().cast(SocketCalls.getLinger(fd));
        Key key = key(option);
        int raw = SocketCalls.getInt(fd, key.level, key.name);
        return option.type().cast(option.type() == Boolean.class ? (Object) (raw != 0) : (Object) raw);
    }

    private static Key key(SocketOption<?> option) {
        Key key = KEYS.get(Objects.requireNonNull(option, "option"));
        if (key == null) throw new UnsupportedOperationException("socket option not supported: " + option);
        return key;
    }
}
