package org.jevent.examples;

import java.nio.file.Path;
import java.time.Duration;
import org.jevent.EventBase;
import org.jevent.FileStatus;
import org.jevent.StatWatcher;

/**
 * libev's {@code ev_stat} example: reports every change of a path's attributes (created,
 * deleted, size, mtime, permissions), with the previous and the current status. On Linux
 * the descriptor backends learn of changes from inotify at once; elsewhere the path is polled
 * every {@code --interval}. The stat() calls never run on the loop thread.
 */
final class StatWatch implements Example {
    @Override public String name() { return "stat-watch"; }
    @Override public String summary() { return "reports changes to a file or directory (libev's ev_stat)"; }
    @Override public String usage() { return "[--interval 1s] [--count N] [--backend epoll|poll|select|nio] PATH"; }

    @Override
    public void run(Args args) throws Exception {
        if (args.positional().size() != 1) throw new IllegalArgumentException("usage: stat-watch " + usage());
        Path path = Path.of(args.positional().getFirst());
        int count = args.integer("count", Integer.MAX_VALUE);
        try (EventBase base = args.base(); StopSignals stop = new StopSignals(base)) {
            int[] seen = {0};
            StatWatcher watcher = base.stat(path, args.duration("interval", Duration.ofSeconds(1)), (w, revents) -> {
                System.out.println(path + ": " + describe(w.prev(), w.attr()));
                if (++seen[0] >= count) base.loopBreak();
            });
            watcher.start();
            System.out.println("watching " + path + " (" + (watcher.attr().exists() ? "exists" : "does not exist yet")
                    + ") on " + base.method() + "; Ctrl-C stops");
            base.dispatch();
            watcher.stop();
        }
    }

    /** What changed between two statuses, in words. */
    static String describe(FileStatus before, FileStatus now) {
        if (!before.exists() && now.exists()) return "created (" + now.size() + " bytes)";
        if (before.exists() && !now.exists()) return "deleted";
        StringBuilder sb = new StringBuilder();
        if (before.size() != now.size()) sb.append("size ").append(before.size()).append(" -> ").append(now.size()).append("; ");
        if (!before.lastModified().equals(now.lastModified())) sb.append("modified; ");
        if (before.mode() != now.mode()) {
            sb.append("mode ").append(Integer.toOctalString(before.mode() & 07777)).append(" -> ")
                    .append(Integer.toOctalString(now.mode() & 07777)).append("; ");
        }
        if (before.inode() != now.inode()) sb.append("replaced; ");
        return sb.isEmpty() ? "attributes changed" : sb.substring(0, sb.length() - 2);
    }
}
