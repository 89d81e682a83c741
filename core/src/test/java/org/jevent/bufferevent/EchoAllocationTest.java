package org.jevent.bufferevent;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jevent.bufferevent.BufferEvent.CLOSE_ON_FREE;
import static org.jevent.bufferevent.BufferEvent.READ;

import org.jevent.AllBackends;
import org.jevent.net.StreamSocket;

/**
 * The benchmark's echo path allocates nothing per message once warm: one readv into a pooled
 * segment, the read callback relinks it to the output, one writev written through.
 */
class EchoAllocationTest {
    // Steady state comes once C2 has compiled the path with the FFM downcalls inlined (their
    // errno-capture views only escape analysis removes); how long that takes depends on the
    // machine's load, so windows are measured until one allocates nothing, within a bound.
    private static final int WARM_UP = 100_000;
    private static final int WINDOW = 20_000;
    private static final int MAX_WINDOWS = 40;

    @AllBackends
    void echoRoundTripsAllocateNothing(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent server = SocketBufferEventTest.echo(w, s[1]);
            SocketBufferEvent client = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            byte[] message = "0123456789abcdef0123456789abcdef".getBytes(US_ASCII);
            byte[] back = new byte[message.length];
            int[] round = {0};
            int[] windows = {0};
            long[] windowStart = {0};
            long[] allocated = {-1};
            client.setCallbacks(b -> {
                if (b.getInput().length() < message.length) return;
                b.read(back, 0, back.length);
                round[0]++;
                if (round[0] >= WARM_UP && (round[0] - WARM_UP) % WINDOW == 0) {
                    long now = org.jevent.Allocation.current();
                    if (round[0] > WARM_UP) {
                        allocated[0] = now - windowStart[0];
                        windows[0]++;
                        if (allocated[0] == 0 || windows[0] == MAX_WINDOWS) {
                            w.stop();
                            return;
                        }
                    }
                    windowStart[0] = now;
                }
                b.write(message);
            }, null, null);
            client.enable(READ);
            client.write(message);
            w.run();
            System.out.printf("[%s] echo: %.2f bytes allocated per round trip (window %d of %d round trips)%n",
                    method, (double) allocated[0] / WINDOW, windows[0], WINDOW);
            assertThat(allocated[0]).as("bytes allocated in the last of %d windows of %d round trips", windows[0], WINDOW)
                    .isZero();
            client.close();
            server.close();
        }
    }
}
