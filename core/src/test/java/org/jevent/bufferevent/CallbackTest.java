package org.jevent.bufferevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jevent.bufferevent.BufferEvent.CLOSE_ON_FREE;
import static org.jevent.bufferevent.BufferEvent.DEFER_CALLBACKS;
import static org.jevent.bufferevent.BufferEvent.IGNORE_WATERMARKS;
import static org.jevent.bufferevent.BufferEvent.READ;
import static org.jevent.bufferevent.BufferEvent.THREADSAFE;
import static org.jevent.bufferevent.BufferEvent.TIMEOUT;
import static org.jevent.bufferevent.BufferEvent.UNLOCK_CALLBACKS;
import static org.jevent.bufferevent.BufferEvent.WRITE;
import static org.jevent.bufferevent.BufferEvent.WRITING;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jevent.AllBackends;
import org.jevent.EventBase;
import org.jevent.net.StreamSocket;

/** Triggers, deferred callbacks, enabling: the callback machinery shared by every kind. */
class CallbackTest {

    @AllBackends
    void triggerHonoursWatermarksUnlessTold(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            List<String> calls = new ArrayList<>();
            bev.setCallbacks(b -> calls.add("read"), b -> calls.add("write"), null);
            bev.setWatermark(READ, 10, 0);
            bev.trigger(READ | WRITE, 0);
            assertThat(calls).as("input below the read low watermark").containsExactly("write");
            bev.trigger(READ, IGNORE_WATERMARKS);
            assertThat(calls).containsExactly("write", "read");
            bev.close();
        }
    }

    @AllBackends
    void deferredCallbacksRunFromTheLoopAndCoalesce(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE | DEFER_CALLBACKS));
            List<String> calls = new ArrayList<>();
            bev.setCallbacks(b -> calls.add("read"), b -> calls.add("write"),
                    (b, events, error) -> calls.add("event " + events));
            bev.trigger(READ, 0);
            bev.trigger(READ, 0);
            bev.triggerEvent(TIMEOUT | WRITING, 0);
            bev.trigger(WRITE, 0);
            assertThat(calls).isEmpty();
            w.base.loop(EventBase.NONBLOCK);
            assertThat(calls).containsExactly("read", "write", "event " + (TIMEOUT | WRITING));
            bev.close();
        }
    }

    @AllBackends
    void triggerCanDeferOneCall(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            List<String> calls = new ArrayList<>();
            bev.setCallbacks(b -> calls.add("read"), null, null);
            bev.trigger(READ, DEFER_CALLBACKS);
            assertThat(calls).isEmpty();
            w.base.loop(EventBase.NONBLOCK);
            assertThat(calls).containsExactly("read");
            bev.close();
        }
    }

    @AllBackends
    void enableAndDisableControlReading(String method) throws Exception {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE));
            assertThat(bev.enabled()).as("libevent's default").isEqualTo(WRITE);
            int[] reads = {0};
            bev.setCallbacks(b -> {
                reads[0]++;
                w.stop();
            }, null, null);
            s[0].write(ByteBuffer.wrap(new byte[] {1}));
            w.base.loop(EventBase.NONBLOCK);
            assertThat(reads[0]).as("reading is disabled").isZero();
            bev.enable(READ);
            w.run();
            assertThat(reads[0]).isEqualTo(1);
            bev.disable(READ | WRITE);
            assertThat(bev.enabled()).isZero();
            bev.close();
        }
    }

    @AllBackends
    void unlockedCallbacksLetOtherThreadsIn(String method) throws Exception {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent bev = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE | THREADSAFE | UNLOCK_CALLBACKS));
            boolean[] otherGotIn = {false};
            bev.setCallbacks(b -> {
                // Another thread takes the bufferevent's lock while this callback runs.
                Thread t = Thread.ofPlatform().start(() -> {
                    b.setWatermark(READ, 0, 0);
                    otherGotIn[0] = true;
                });
                try {
                    t.join(5000);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                w.stop();
            }, null, null);
            bev.enable(READ);
            s[0].write(ByteBuffer.wrap(new byte[] {1}));
            w.run();
            assertThat(otherGotIn[0]).isTrue();
            bev.close();
        }
    }
}
