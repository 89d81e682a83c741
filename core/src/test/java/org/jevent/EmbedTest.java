package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * libev's {@code ev_embed}: an epoll base served inside a base of every kind (watched
 * directly by the descriptor backends, through a helper thread by nio), nested too.
 */
class EmbedTest {

    private static EventBase epollBase() {
        assumeTrue(EventBase.supportedMethods().contains("epoll"), "needs epoll");
        return EventBase.create(EventBaseConfig.builder().method("epoll").ignoreEnvironment().build());
    }

    /** A socket pair of raw descriptors (what an epoll base watches), closed at the end. */
    private static Harness.Pair fdPair(List<Runnable> cleanups) throws Exception {
        org.jevent.net.StreamSocket[] ends = org.jevent.net.Net.nativeNet().socketPair();
        Harness.Pair p = new Harness.Pair(new Harness.End(ends[0]), new Harness.End(ends[1]));
        cleanups.add(p::close);
        return p;
    }

    @AllBackends
    void epollBaseServesItsSocketsInsideTheOuterBase(String method) throws Exception {
        List<Runnable> cleanups = new ArrayList<>();
        try (Harness h = new Harness(method)) {
            try (EventBase inner = epollBase()) {
                Harness.Pair p = fdPair(cleanups);
                Embed embed = h.base.embed(inner);
                AtomicInteger read = new AtomicInteger();
                Io io = inner.io(p.b(), Watcher.READ, (w, r) -> {
                    read.addAndGet(p.b().read(16));
                    w.stop();
                    embed.stop();
                });
                io.start();
                embed.start();
                p.a().write((byte) 1, (byte) 2, (byte) 3);
                assertThat(h.base.run(0)).isFalse();
                assertThat(read).hasValue(3);
            }
            cleanups.forEach(Runnable::run);
        }
    }

    @AllBackends
    void callbackDecidesWhenToSweep(String method) throws Exception {
        List<Runnable> cleanups = new ArrayList<>();
        try (Harness h = new Harness(method)) {
            try (EventBase inner = epollBase()) {
                Harness.Pair p = fdPair(cleanups);
                List<String> log = new ArrayList<>();
                Io io = inner.io(p.b(), Watcher.READ, (w, r) -> {
                    log.add("inner read " + p.b().read(16));
                    w.stop();
                });
                Embed embed = h.base.embed(inner, (w, r) -> {
                    log.add(r == Watcher.EMBED ? "embed" : "?");
                    w.sweep();
                    if (!io.isActive()) w.stop();
                });
                io.start();
                embed.start();
                p.a().write((byte) 9);
                h.base.run(0);
                assertThat(log).containsExactly("embed", "inner read 1");
            }
            cleanups.forEach(Runnable::run);
        }
    }

    @AllBackends
    void nestedEmbedding(String method) throws Exception {
        List<Runnable> cleanups = new ArrayList<>();
        try (Harness h = new Harness(method)) {
            try (EventBase middle = epollBase(); EventBase inner = epollBase()) {
                Harness.Pair p = fdPair(cleanups);
                Embed outerEmbed = h.base.embed(middle);
                Embed middleEmbed = middle.embed(inner);
                AtomicInteger depthSeen = new AtomicInteger();
                inner.io(p.b(), Watcher.READ, (w, r) -> {
                    p.b().read(16);
                    depthSeen.set(w.base().depth());
                    w.stop();
                    middleEmbed.stop();
                    outerEmbed.stop();
                }).start();
                middleEmbed.start();
                outerEmbed.start();
                p.a().write((byte) 1);
                assertThat(h.base.run(0)).isFalse();
                assertThat(depthSeen).as("run by a sweep").hasValue(1);
            }
            cleanups.forEach(Runnable::run);
        }
    }

    @AllBackends
    void wakeUpOfTheInnerBaseReachesTheOuterOne(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            try (EventBase inner = epollBase()) {
                Embed embed = h.base.embed(inner);
                AtomicInteger got = new AtomicInteger();
                Async async = inner.async((w, r) -> {
                    got.incrementAndGet();
                    w.stop();
                    embed.stop();
                });
                async.start();
                embed.start();
                Thread sender = Thread.ofPlatform().start(async::send);
                h.base.run(0);
                sender.join();
                assertThat(got).hasValue(1);
            }
        }
    }

    @AllBackends
    void onlyAnEpollBaseCanBeEmbedded(String method) {
        try (Harness h = new Harness(method)) {
            try (EventBase nio = EventBase.create(EventBaseConfig.builder().method("nio").ignoreEnvironment().build())) {
                assertThatThrownBy(() -> h.base.embed(nio)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> h.base.embed(h.base)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
