package org.jevent.bufferevent;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jevent.bufferevent.BufferEvent.EOF;
import static org.jevent.bufferevent.BufferEvent.READ;
import static org.jevent.bufferevent.BufferEvent.READING;
import static org.jevent.bufferevent.BufferEvent.WRITE;

import java.util.ArrayList;
import java.util.List;
import org.jevent.AllBackends;
import org.jevent.buffer.EvBuffer;

/** Bufferevent pairs: in-process transport, moved without copying. */
class PairBufferEventTest {

    static String take(EvBuffer b) {
        byte[] data = new byte[(int) b.length()];
        b.remove(data);
        return new String(data, US_ASCII);
    }

    @AllBackends
    void sendsBothWays(String method) {
        try (World w = new World(method)) {
            PairBufferEvent a = w.track(BufferEvent.pair(w.base, 0));
            PairBufferEvent b = w.track(a.partner());
            List<String> log = new ArrayList<>();
            b.setCallbacks(bev -> {
                log.add("b:" + take(bev.getInput()));
                bev.write("world".getBytes(US_ASCII));
            }, null, null);
            a.setCallbacks(bev -> {
                log.add("a:" + take(bev.getInput()));
                w.stop();
            }, null, null);
            a.enable(READ);
            b.enable(READ);
            a.write("hello".getBytes(US_ASCII));
            assertThat(log).as("callbacks are deferred to the loop").isEmpty();
            w.run();
            assertThat(log).containsExactly("b:hello", "a:world");
            a.close();
            b.close();
        }
    }

    @AllBackends
    void closingOneGivesThePartnerEof(String method) {
        try (World w = new World(method)) {
            PairBufferEvent a = w.track(BufferEvent.pair(w.base, 0));
            PairBufferEvent b = w.track(a.partner());
            int[] what = {0};
            b.setCallbacks(null, null, (bev, events, error) -> {
                what[0] = events;
                w.stop();
            });
            b.enable(READ);
            a.close();
            assertThat(b.partner()).isNull();
            w.run();
            assertThat(what[0]).isEqualTo(READING | EOF);
            b.close();
        }
    }

    @AllBackends
    void dataWaitsForTheReaderAndFlushFinishedPushesItWithEof(String method) {
        try (World w = new World(method)) {
            PairBufferEvent a = w.track(BufferEvent.pair(w.base, 0));
            PairBufferEvent b = w.track(a.partner());
            a.write("queued".getBytes(US_ASCII));
            assertThat(b.getInput().length()).as("reading disabled on b").isZero();
            int[] what = {0};
            b.setCallbacks(null, null, (bev, events, error) -> {
                what[0] = events;
                w.stop();
            });
            assertThat(a.flush(WRITE, FlushMode.FINISHED)).isTrue();
            assertThat(take(b.getInput())).isEqualTo("queued");
            w.run();
            assertThat(what[0]).isEqualTo(READING | EOF);
            a.close();
            b.close();
        }
    }

    @AllBackends
    void readHighWatermarkLimitsTheTransfer(String method) {
        try (World w = new World(method)) {
            PairBufferEvent a = w.track(BufferEvent.pair(w.base, 0));
            PairBufferEvent b = w.track(a.partner());
            b.setWatermark(READ, 0, 100);
            b.enable(READ);
            a.write(new byte[1000]);
            assertThat(b.getInput().length()).isEqualTo(100);
            assertThat(a.getOutput().length()).isEqualTo(900);
            long total = 0;
            while (total < 1000) { // draining below the watermark pulls the next part
                long n = b.getInput().length();
                assertThat(n).isBetween(1L, 100L);
                b.getInput().drain(n);
                total += n;
            }
            assertThat(a.getOutput().length()).isZero();
            w.base.loop(org.jevent.EventBase.NONBLOCK); // run the deferred write callbacks
            a.close();
            b.close();
        }
    }
}
