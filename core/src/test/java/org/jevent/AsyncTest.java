package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** libev's {@code ev_async}: sends from any thread, coalesced. */
class AsyncTest {

    @AllBackends
    void sendFromAnotherThreadWakesABlockedLoop(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            AtomicInteger revents = new AtomicInteger();
            Async async = h.base.async((w, r) -> {
                revents.set(r);
                w.stop();
            });
            async.start();
            Thread sender = Thread.ofPlatform().start(async::send);
            h.base.run(0); // blocks until the send
            sender.join();
            assertThat(revents).hasValue(Watcher.ASYNC);
        }
    }

    @AllBackends
    void sendsFromManyThreadsAtOnceCoalesce(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            int threads = 8, each = 20_000;
            AtomicInteger callbacks = new AtomicInteger();
            AtomicBoolean allSent = new AtomicBoolean();
            CountDownLatch sawTheEnd = new CountDownLatch(1);
            Async async = h.base.async((w, r) -> {
                callbacks.incrementAndGet();
                if (allSent.get()) {
                    sawTheEnd.countDown();
                    w.stop();
                }
            });
            async.start();
            CountDownLatch go = new CountDownLatch(1);
            Thread[] senders = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                senders[t] = Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) async.send();
                });
            }
            Thread loop = Thread.ofPlatform().start(() -> h.base.run(0));
            go.countDown();
            for (Thread s : senders) s.join();
            allSent.set(true);
            async.send(); // a send after all others: it must be seen
            assertThat(sawTheEnd.await(10, TimeUnit.SECONDS)).isTrue();
            loop.join();
            assertThat(callbacks.get()).isBetween(1, threads * each + 1);
            assertThat(callbacks.get()).as("coalesced").isLessThan(threads * each);
        }
    }

    @AllBackends
    void sendsBeforeTheLoopNoticesRunTheCallbackOnce(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger callbacks = new AtomicInteger();
            Async async = h.base.async((w, r) -> callbacks.incrementAndGet());
            async.start();
            for (int i = 0; i < 5; i++) async.send();
            assertThat(async.isSent()).isTrue();
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(callbacks).hasValue(1);
            assertThat(async.isSent()).isFalse();
            async.send();
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(callbacks).hasValue(2);
            async.stop();
        }
    }

    @AllBackends
    void startForgetsASendToAStoppedWatcher(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger callbacks = new AtomicInteger();
            Async async = h.base.async((w, r) -> callbacks.incrementAndGet());
            async.send();
            async.start();
            assertThat(async.isSent()).isFalse();
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(callbacks).hasValue(0);
            async.stop();
        }
    }

    @AllBackends
    void stoppingAPendingAsyncDropsItsCallback(String method) {
        try (Harness h = new Harness(method)) {
            AtomicInteger callbacks = new AtomicInteger();
            Async async = h.base.async((w, r) -> callbacks.incrementAndGet());
            Idle stopper = h.base.idle((w, r) -> {});
            async.start();
            async.send();
            // A check runs after the async is queued and before it is invoked.
            Check check = h.base.check((w, r) -> {
                if (async.isPending()) async.stop();
                w.stop();
            });
            check.start();
            h.base.run(EventBase.RUN_NOWAIT);
            assertThat(callbacks).hasValue(0);
            assertThat(async.isActive()).isFalse();
            stopper.stop();
        }
    }

    @AllBackends
    void sendAllocatesNothing(String method) {
        try (Harness h = new Harness(method)) {
            Async async = h.base.async((w, r) -> {});
            async.start();
            Runnable work = () -> {
                for (int i = 0; i < 1000; i++) {
                    async.send();
                    h.base.run(EventBase.RUN_NOWAIT); // not measured: the loop side
                }
            };
            work.run();
            Runnable sends = () -> {
                for (int i = 0; i < 10_000; i++) async.send();
            };
            sends.run();
            assertThat(Allocation.bytes(sends)).isLessThan(256);
            async.stop();
        }
    }
}
