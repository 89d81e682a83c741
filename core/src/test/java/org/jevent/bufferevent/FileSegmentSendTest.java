package org.jevent.bufferevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jevent.bufferevent.BufferEvent.CLOSE_ON_FREE;
import static org.jevent.bufferevent.BufferEvent.READ;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;
import org.jevent.AllBackends;
import org.jevent.Harness;
import org.jevent.net.StreamSocket;
import org.junit.jupiter.api.io.TempDir;

/** {@code evbuffer_add_file} segments sent through socket bufferevents (sendfile where native). */
class FileSegmentSendTest {
    private static final int SIZE = 20 << 20;

    @TempDir
    Path dir;

    @AllBackends
    void sendsA20MegabyteFileIntactAndClosesItAfterTheDrain(String method) throws IOException {
        byte[] content = new byte[SIZE];
        new Random(42).nextBytes(content);
        Path file = Files.write(dir.resolve("data"), content);
        CRC32 expected = new CRC32();
        expected.update(content);
        try (World w = new World(method)) {
            StreamSocket[] s = w.socketPair();
            SocketBufferEvent sender = w.track(BufferEvent.socket(w.base, s[0], CLOSE_ON_FREE));
            SocketBufferEvent receiver = w.track(BufferEvent.socket(w.base, s[1], CLOSE_ON_FREE));
            long fdsBefore = Harness.openFds();
            CRC32 received = new CRC32();
            long[] count = {0};
            long[] fdsAfterDrain = {-1};
            byte[] scratch = new byte[64 * 1024];
            receiver.setCallbacks(b -> {
                int n;
                while ((n = b.read(scratch, 0, scratch.length)) > 0) {
                    received.update(scratch, 0, n);
                    count[0] += n;
                }
                if (count[0] == SIZE) w.stop();
            }, null, null);
            sender.setCallbacks(null, b -> {
                if (b.getOutput().length() == 0) fdsAfterDrain[0] = Harness.openFds();
            }, null);
            receiver.enable(READ);
            sender.getOutput().addFile(file, 0, -1);
            assertThat(Harness.openFds()).as("the file is open").isEqualTo(fdsBefore + 1);
            w.run();
            assertThat(count[0]).isEqualTo(SIZE);
            assertThat(received.getValue()).isEqualTo(expected.getValue());
            assertThat(fdsAfterDrain[0]).as("descriptors once the file was sent").isEqualTo(fdsBefore);
            sender.close();
            receiver.close();
        }
    }
}
