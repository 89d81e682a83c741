package org.jevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A blocking TCP client on 127.0.0.1 for the tests; every read times out after 10 s. */
final class Client implements AutoCloseable {
    static final int TIMEOUT_MILLIS = 10_000;

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Client(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static Client connect(int port) {
        return connect(port, 0);
    }

    /** With a receive buffer of {@code receiveBuffer} bytes (0: the default, auto-tuned). */
    static Client connect(int port, int receiveBuffer) {
        Socket s = new Socket();
        try {
            // Set before connecting, so that TCP's window is small from the start.
            if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            return new Client(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException(e);
        }
    }

    void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] data) {
        try {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Half-closes: the server reads end of stream. */
    void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line, without its newline; null at end of stream. */
    String readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                line.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Exactly {@code n} bytes. */
    byte[] read(int n) {
        try {
            byte[] data = in.readNBytes(n);
            assertThat(data).as("bytes before end of stream").hasSize(n);
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that the server closed the connection: end of stream, or a reset. */
    void assertClosedByServer() {
        try {
            assertThat(in.read()).as("end of stream").isEqualTo(-1);
        } catch (SocketException reset) {
            // the server closed with data unread, which resets the connection
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what is left until the server closes the connection; returns how many bytes came. */
    long readUntilClosedByServer() {
        long count = 0;
        try {
            while (in.read() >= 0) count++;
        } catch (SocketException reset) {
            // closed with data unread on the server's side
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
