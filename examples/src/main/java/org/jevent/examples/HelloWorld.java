package org.jevent.examples;

import java.nio.charset.StandardCharsets;
import org.jevent.bufferevent.BufferEvent;

/**
 * libevent's {@code sample/hello-world.c}: a listener accepts each connection ({@link Server}),
 * a bufferevent greets it and closes it once the greeting has been sent. Try
 * {@code nc 127.0.0.1 9995}.
 *
 * <p>The lesson: a bufferevent owns an output buffer that it writes to the socket whenever the
 * socket can take more. {@code write} only queues; the write callback says when the output
 * has drained (below the write low watermark, 0 here), and only then is it safe to close
 * without losing what was queued.
 */
final class HelloWorld extends ServerExample {
    private static final byte[] GREETING = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);

    @Override public String name() { return "hello-world"; }
    @Override public String summary() { return "greets each client and hangs up (libevent's hello-world)"; }
    @Override public String usage() { return "[--port 9995] [--backend epoll|poll|select|nio]"; }
    @Override int defaultPort() { return 9995; }

    @Override
    Service service(Args args, Connections connections) {
        return bev -> {
            bev.write(GREETING);                  // queued in bev.getOutput(), sent when writable
            connections.closeWhenFlushed(bev);    // write callback on an empty output: close
        };
    }
}
