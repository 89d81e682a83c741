package org.jevent.bufferevent;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jevent.bufferevent.BufferEvent.CLOSE_ON_FREE;
import static org.jevent.bufferevent.BufferEvent.ERROR;
import static org.jevent.bufferevent.BufferEvent.EOF;
import static org.jevent.bufferevent.BufferEvent.READ;
import static org.jevent.bufferevent.BufferEvent.READING;
import static org.jevent.bufferevent.BufferEvent.WRITE;
import static org.jevent.bufferevent.PairBufferEventTest.take;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jevent.AllBackends;
import org.jevent.buffer.EolStyle;
import org.jevent.buffer.EvBuffer;
import org.jevent.net.StreamSocket;

/** Filter bufferevents over sockets and pairs. */
class FilterBufferEventTest {

    /** Upper-cases ASCII letters, all that is there. */
    static final BufferFilter UPPERCASE = (src, dst, limit, mode) -> {
        byte[] data = new byte[(int) src.length()];
        src.remove(data);
        for (int i = 0; i < data.length; i++) {
            if (data[i] >= 'a' && data[i] <= 'z') data[i] -= 32;
        }
        dst.add(data);
        return FilterResult.OK;
    };

    /** Passes whole lines only: a partial line waits for more input. */
    static final BufferFilter LINES = (src, dst, limit, mode) -> {
        long n = src.readLine(EolStyle.LF, dst);
        if (n < 0) return FilterResult.NEED_MORE;
        dst.add(new byte[] {'\n'});
        return FilterResult.OK;
    };

    @AllBackends
    void uppercaseFiltersBothWaysOverASocket(String method) throws IOException {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent below = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            FilterBufferEvent f = w.track(BufferEvent.filter(below, UPPERCASE, UPPERCASE, CLOSE_ON_FREE));
            f.setCallbacks(bev -> {
                assertThat(take(bev.getInput())).isEqualTo("HELLO");
                bev.write("world".getBytes(US_ASCII));
                w.stop();
            }, null, null);
            f.enable(READ);
            s[1].write(ByteBuffer.wrap("hello".getBytes(US_ASCII)));
            w.run();
            ByteBuffer got = ByteBuffer.allocate(16);
            assertThat(s[1].read(got)).isEqualTo(5);
            assertThat(new String(got.array(), 0, 5, US_ASCII)).isEqualTo("WORLD");
            f.close();
            assertThat(below.isClosed()).as("CLOSE_ON_FREE closes the underlying bufferevent").isTrue();
        }
    }

    @AllBackends
    void lineFilterHoldsPartialLinesBack(String method) {
        try (World w = new World(method)) {
            PairBufferEvent a = w.track(BufferEvent.pair(w.base, 0));
            PairBufferEvent b = w.track(a.partner());
            FilterBufferEvent f = w.track(BufferEvent.filter(b, LINES, null, 0));
            List<String> seen = new ArrayList<>();
            f.setCallbacks(bev -> seen.add(take(bev.getInput())), null, null);
            f.enable(READ);
            for (String piece : new String[] {"ab", "c\nde", "f", "\n"}) {
                a.write(piece.getBytes(US_ASCII));
                w.base.loop(org.jevent.EventBase.NONBLOCK); // the pair's deferred callbacks
            }
            assertThat(seen).containsExactly("abc\n", "def\n");
            f.close();
            b.close();
            a.close();
        }
    }

    @AllBackends
    void filterErrorIsReportedAndStopsReading(String method) {
        try (World w = new World(method)) {
            PairBufferEvent a = w.track(BufferEvent.pair(w.base, 0));
            PairBufferEvent b = w.track(a.partner());
            FilterBufferEvent f = w.track(BufferEvent.filter(b, (src, dst, limit, mode) -> FilterResult.ERROR, null, 0));
            int[] what = {0};
            f.setCallbacks(null, null, (bev, events, error) -> {
                what[0] = events;
                assertThat(error).isNotNull();
                w.stop();
            });
            f.enable(READ);
            a.write("bad".getBytes(US_ASCII));
            w.run();
            assertThat(what[0]).isEqualTo(READING | ERROR);
            assertThat(f.enabled() & READ).isZero();
            f.close();
            b.close();
            a.close();
        }
    }

    @AllBackends
    void flushFinishedGoesDownToTheSocket(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent below = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            FilterBufferEvent f = w.track(BufferEvent.filter(below, null, UPPERCASE, CLOSE_ON_FREE));
            SocketBufferEvent peer = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE));
            EvBuffer received = new EvBuffer();
            int[] what = {0};
            peer.setCallbacks(bev -> received.addBuffer(bev.getInput()), null, (bev, events, error) -> {
                what[0] = events;
                w.stop();
            });
            peer.enable(READ);
            f.write("last words".getBytes(US_ASCII));
            f.flush(WRITE, FlushMode.FINISHED);
            w.run();
            assertThat(take(received)).isEqualTo("LAST WORDS");
            assertThat(what[0]).isEqualTo(READING | EOF);
            received.close();
            f.close();
            peer.close();
        }
    }
}
