package org.jevent;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.jevent.internal.linux.Inotify;
import org.jevent.internal.linux.LibC;
import org.jevent.net.ErrnoException;

/**
 * A stat watcher ({@code ev_stat}): invoked with {@link #STAT} when the attributes of a path
 * change: created, deleted, resized, modified, chmod-ed, replaced by another file. Inside the
 * callback, {@link #attr()} is the new status and {@link #prev()} the one before; several
 * changes between two iterations are reported once.
 *
 * <p>How it notices: a virtual thread of the watcher stats the path every {@code interval}
 * (libev's polling; default 5 s, at least 0.1 s). On the descriptor backends it is also woken
 * by inotify: an inotify descriptor, watched by the loop like any other, watches the path and
 * its directory (so creation and deletion are seen too), which reports most changes at once.
 * All stat calls run on that thread, never on the loop thread, so a slow filesystem cannot
 * stall the loop; results reach the loop through an {@link Async}.
 *
 * <p>{@link #start} takes the first status (the baseline that the first change is compared
 * with) on the watcher's thread. When start is called from any thread but the loop's, it
 * waits for it, so a change made after start returns is reported; from the loop thread it
 * does not wait, and a change racing with the baseline may go unreported.
 */
public final class StatWatcher extends Watcher {
    /** libev's default interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** libev's smallest interval. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    private final Path path;
    private final long intervalNanos;
    /** Brings a change seen by the stat thread to the loop. */
    private final Async changed;
    /** Guards the inotify descriptor between the stat thread (adding watches) and stop (closing it). */
    private final Object inotifyLock = new Object();

    private Run run;
    private volatile FileStatus attr = FileStatus.MISSING, prev = FileStatus.MISSING;

    /** One start's stat thread and inotify descriptor; a restart gets a new one. */
    private final class Run implements Runnable {
        final CountDownLatch baseline = new CountDownLatch(1);
        volatile boolean stopped;
        volatile FileStatus latest;
        int inotifyFd = -1;
        Io inotifyWatch;
        Thread thread;

        @Override
        public void run() {
            FileStatus last = FileStatus.of(path);
            latest = last;
            attr = prev = last;
            watchPath(this);
            baseline.countDown();
            while (!stopped) {
                LockSupport.parkNanos(intervalNanos); // or until inotify unparks us
                if (stopped) break;
                watchPath(this); // the file may exist now
                FileStatus now = FileStatus.of(path);
                if (!now.equals(last)) {
                    last = now;
                    latest = now;
                    changed.send();
                }
            }
        }
    }

    StatWatcher(EventBase base, Path path, Duration interval, WatcherCallback<StatWatcher> callback) {
        super(base, null, -1, 0, callback);
        this.path = path.toAbsolutePath();
        this.intervalNanos = Math.max(MIN_INTERVAL.toNanos(), interval.toNanos());
        this.changed = new Async(base, (a, revents) -> deliver());
        changed.unref();
    }

    @Override
    void onStart() {
        base.watch(event, null);
        changed.event.priority = event.priority;
        changed.start();
        Run r = run = new Run();
        if (base.watchesDescriptors()) openInotify(r);
        r.thread = Thread.ofVirtual().name("jevent-stat " + path).unstarted(r);
        r.thread.start();
    }

    /** Watches the inotify descriptor from the loop; without inotify, polling alone serves. */
    private void openInotify(Run r) {
        try {
            r.inotifyFd = Inotify.open();
        } catch (ErrnoException e) {
            return;
        }
        MemorySegment buffer = Arena.ofAuto().allocate(4096);
        r.inotifyWatch = new Io(base, Pollable.of(r.inotifyFd), READ, (w, revents) -> {
            try {
                Inotify.drain(r.inotifyFd, buffer);
            } catch (ErrnoException e) {
                throw new IllegalStateException("reading inotify events of " + path, e);
            }
            LockSupport.unpark(r.thread); // stat now rather than at the next interval
        });
        r.inotifyWatch.event.priority = event.priority;
        r.inotifyWatch.unref();
        r.inotifyWatch.start();
    }

    /** On the stat thread: (re)adds the inotify watches; a missing path is watched via its directory. */
    private void watchPath(Run r) {
        synchronized (inotifyLock) {
            if (r.inotifyFd < 0 || r.stopped) return;
            try {
                Inotify.watch(r.inotifyFd, path.toString(), Inotify.FILE_EVENTS);
                Path dir = path.getParent();
                if (dir != null) Inotify.watch(r.inotifyFd, dir.toString(), Inotify.DIRECTORY_EVENTS);
            } catch (ErrnoException e) {
                // Out of watches (ENOSPC), say: polling still sees the change, later.
            }
        }
    }

    @Override
    void afterStart() {
        Run r;
        base.lock.lock();
        try {
            r = run;
        } finally {
            base.lock.unlock();
        }
        if (r != null && !base.inLoopThread()) {
            try {
                r.baseline.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** On the loop thread: the stat thread saw a change. */
    private void deliver() {
        Run r = run;
        if (r == null) return;
        FileStatus now = r.latest;
        if (now.equals(attr)) return;
        prev = attr;
        attr = now;
        feed(STAT);
    }

    @Override
    void onStop() {
        Run r = run;
        if (r != null) {
            run = null;
            r.stopped = true;
            LockSupport.unpark(r.thread);
            if (r.inotifyWatch != null) r.inotifyWatch.stop();
            synchronized (inotifyLock) {
                if (r.inotifyFd >= 0) LibC.closeQuietly(r.inotifyFd);
                r.inotifyFd = -1;
            }
        }
        changed.stop();
        base.unwatch(event, null);
    }

    /** {@code w->path}, made absolute. */
    public Path path() {
        return path;
    }

    /** {@code w->interval}: how often the path is polled. */
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /** {@code w->attr}: the status last reported (the baseline before the first change). */
    public FileStatus attr() {
        return attr;
    }

    /** {@code w->prev}: the status before the last reported change. */
    public FileStatus prev() {
        return prev;
    }

    /**
     * {@code ev_stat_stat}: stats the path now, on the calling thread, and makes the result
     * the baseline without reporting it. It may block on a slow filesystem.
     */
    public FileStatus stat() {
        FileStatus now = FileStatus.of(path);
        attr = now;
        return now;
    }
}
