package org.jevent.examples;

import java.nio.charset.StandardCharsets;
import org.jevent.buffer.EolStyle;
import org.jevent.buffer.EvBuffer;
import org.jevent.bufferevent.BufferEvent;

/**
 * libevent's ROT13 server from its book: reads lines and sends each back with every letter
 * moved 13 places along the alphabet. Try {@code nc 127.0.0.1 40713}.
 *
 * <p>The lesson: the read callback runs whenever new bytes arrive, not per line. It takes
 * every complete line out of the input ({@code evbuffer_readln}) and leaves a partial one
 * there until the rest arrives. A client that sends a huge line without a newline must not
 * make the input grow for ever, so past {@link #MAX_LINE} bytes the partial line is
 * rotated and sent as it is, as libevent's sample does.
 */
final class Rot13 extends ServerExample {
    /** The longest line kept waiting for its end. */
    static final int MAX_LINE = 16 * 1024;
    private static final byte[] NEWLINE = {'\n'};

    @Override public String name() { return "rot13"; }
    @Override public String summary() { return "line-based ROT13 server (libevent's book sample)"; }
    @Override public String usage() { return "[--port 40713] [--backend epoll|poll|select|nio]"; }
    @Override int defaultPort() { return 40713; }

    @Override
    Service service(Args args, Connections connections) {
        return bev -> {
            bev.setCallbacks(Rot13::rotateLines, null, connections.closer());
            bev.enable(BufferEvent.READ | BufferEvent.WRITE);
        };
    }

    private static void rotateLines(BufferEvent bev) {
        EvBuffer input = bev.getInput();
        EvBuffer output = bev.getOutput();
        for (String line; (line = input.readLine(EolStyle.LF)) != null; ) {
            output.add(rotate(line.getBytes(StandardCharsets.UTF_8)));
            output.add(NEWLINE);
        }
        if (input.length() >= MAX_LINE) {
            byte[] part = new byte[(int) input.length()];
            input.remove(part);
            output.add(rotate(part));
        }
    }

    /** ROT13 of the ASCII letters in place; other bytes (UTF-8 included) pass unchanged. */
    static byte[] rotate(byte[] text) {
        for (int i = 0; i < text.length; i++) {
            byte c = text[i];
            if (c >= 'a' && c <= 'z') text[i] = (byte) ('a' + (c - 'a' + 13) % 26);
            else if (c >= 'A' && c <= 'Z') text[i] = (byte) ('A' + (c - 'A' + 13) % 26);
        }
        return text;
    }
}
