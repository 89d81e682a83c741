package org.jevent.bench;

import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} (or {@code -n value}, as the C programs take) pairs following a subcommand. */
public final class Options {
    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code --name value} and {@code -n value} pairs; anything else is a usage error. */
    public static Options parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("-") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value, got: " + args[i]);
            }
            values.put(args[i].replaceFirst("^--?", ""), args[i + 1]);
        }
        return new Options(values);
    }

    public String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    /** An integer option with a default. */
    public int integer(String name, int defaultValue) {
        String value = values.get(name);
        return value == null ? defaultValue : Integer.parseInt(value);
    }

    /** A required integer option. */
    public int integer(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return Integer.parseInt(value);
    }
}
