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
    // Long enough for C2 to inline the FFM downcalls, whose errno-capture views only
    // escape analysis removes (20,000 is not always enough on the first backend).
    private static final int WARM_UP = 100_000;
    private static final int MEASURED = 20_000;
    @AllBackends
    void echoRoundTripsAllocateNothing(String method) {
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent server = SocketBufferEventTest.echo(w, s[1]);
            SocketBufferEvent client = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            byte[] message = "0123456789abcdef0123456789abcdef".getBytes(US_ASCII);
            byte[] back = new byte[message.length];
            int[] round = {0};
            long[] allocated = {0};
            client.setCallbacks(b -> {
                if (b.getInput().length() < message.length) return;
                b.read(back, 0, back.length);
                round[0]++;
                if (round[0] == WARM_UP) {
                    allocated[0] = org.jevent.Allocation.current();
                } else if (round[0] == WARM_UP + MEASURED) {
                    allocated[0] = org.jevent.Allocation.current() - allocated[0];
                    w.stop();
                    return;
                }
                b.write(message);
            }, null, null);
            client.enable(READ);
            client.write(message);
            w.run();
            System.out.printf("[%s] echo: %.2f bytes allocated per round trip%n", method, (double) allocated[0] / MEASURED);
            assertThat(allocated[0]).as("bytes allocated in %d round trips", MEASURED).isLessThan(MEASURED);
            client.close();
            server.close();
        }
    }
}
