package org.jevent.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jevent.EventBase;
import org.jevent.EventBaseConfig;

/** An example's command line: {@code --name value} options, {@code --flag}s and positional words. */
final class Args {
    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    static Args parse(String[] argv, String... flags) {
        Args args = new Args();
        List<String> flagList = List.of(flags);
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--")) {
                args.positional.addAll(List.of(argv).subList(i + 1, argv.length));
                break;
            }
            if (!a.startsWith("--") || !args.positional.isEmpty()) {
                args.positional.add(a);
            } else if (flagList.contains(a.substring(2)) || a.equals("--help")) {
                args.options.put(a.substring(2), "true");
            } else if (i + 1 < argv.length) {
                args.options.put(a.substring(2), argv[++i]);
            } else {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
        }
        return args;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    int integer(String name, int defaultValue) {
        String v = options.get(name);
        return v == null ? defaultValue : Integer.parseInt(v);
    }

    /** A duration like "1s", "250ms", "2m" or plain seconds. */
    Duration duration(String name, Duration defaultValue) {
        String v = options.get(name);
        if (v == null) return defaultValue;
        if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        if (v.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        if (v.endsWith("m")) return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
    }

    List<String> positional() {
        return positional;
    }

    /** The configuration of {@code --backend} (epoll, poll, select, nio), or of the best one. */
    EventBaseConfig config() {
        String backend = options.get("backend");
        EventBaseConfig.Builder config = EventBaseConfig.builder();
        if (backend != null) config.method(backend);
        return config.build();
    }

    /** A base on {@code --backend}, or on the best backend. */
    EventBase base() {
        return EventBase.create(config());
    }
}
