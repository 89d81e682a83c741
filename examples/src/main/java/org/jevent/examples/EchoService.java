package org.jevent.examples;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.jevent.buffer.EvBuffer;
import org.jevent.bufferevent.BufferEvent;
import org.jevent.bufferevent.DataCallback;

/**
 * Echo with back-pressure. The read callback moves the input to the output
 * ({@code evbuffer_add_buffer}: the segments change hands, no byte is copied).
 *
 * <p>Back-pressure: a client that sends but does not read would make the server buffer its
 * echo without bound. So once the output passes a high watermark, reading from that client
 * stops ({@code bufferevent_disable(EV_READ)}), and a write callback with a low watermark of
 * half the high one resumes reading when the client has caught up. While paused, the
 * kernel's buffers fill and TCP flow control stops the client. The output never holds more
 * than the high watermark plus one read ({@link BufferEvent#maxSingleRead()}).
 */
final class EchoService implements Service {
    /** Output queued for one client beyond which reading from it pauses. */
    static final long HIGH_WATERMARK = 256 * 1024;

    private final Connections connections;
    private final long highWatermark;
    // Callbacks made once: setting them per connection or per pause allocates nothing.
    private final DataCallback echo = this::echo;
    private final DataCallback resume = this::resume;
    private final LongAdder pauses = new LongAdder();
    private final LongAccumulator largestOutput = new LongAccumulator(Math::max, 0);

    EchoService(Connections connections, long highWatermark) {
        this.connections = connections;
        this.highWatermark = highWatermark;
    }

    @Override
    public void serve(BufferEvent bev) {
        bev.setCallbacks(echo, null, connections.closer());
        bev.enable(BufferEvent.READ | BufferEvent.WRITE);
    }

    private void echo(BufferEvent bev) {
        EvBuffer output = bev.getOutput();
        output.addBuffer(bev.getInput());
        long queued = output.length();
        if (queued > highWatermark) {
            pause(bev, queued);
        }
    }

    private void pause(BufferEvent bev, long queued) {
        bev.disable(BufferEvent.READ);
        bev.setWatermark(BufferEvent.WRITE, highWatermark / 2, 0);
        bev.setCallbacks(echo, resume, connections.closer());
        pauses.increment();
        largestOutput.accumulate(queued);
    }

    /** The write callback while paused: the output drained to half the high watermark. */
    private void resume(BufferEvent bev) {
        bev.setWatermark(BufferEvent.WRITE, 0, 0);
        bev.setCallbacks(echo, null, connections.closer());
        bev.enable(BufferEvent.READ);
    }

    /** How many times reading was paused, over all connections. */
    long pauses() {
        return pauses.sum();
    }

    /**
     * The most output a connection had queued when its reading paused, 0 before any pause.
     * Output grows only in the echo, and every echo that passes the high watermark pauses,
     * so no connection ever queued more.
     */
    long largestOutput() {
        return largestOutput.get();
    }
}
