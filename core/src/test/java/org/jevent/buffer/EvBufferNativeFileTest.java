package org.jevent.buffer;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jevent.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EvBuffer#addFile(Path, long, long)}: with {@link EvBuffer#DRAINS_TO_FD}, the copying
 * paths (pread) and the descriptor's lifetime; without it, the mapping.
 */
class EvBufferNativeFileTest {
    @TempDir
    Path dir;

    @Test
    void copiesSearchesAndClosesTheFile() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) text.append("line ").append(i).append('\n');
        Path file = Files.writeString(dir.resolve("lines"), text, US_ASCII);
        long fds = Harness.openFds();
        try (EvBuffer buf = new EvBuffer()) {
            buf.setFlags(EvBuffer.DRAINS_TO_FD);
            buf.addFile(file, 5, -1); // from "0\nline 1\n..."
            assertThat(Harness.openFds()).isEqualTo(fds + 1);
            assertThat(buf.length()).isEqualTo(text.length() - 5);
            assertThat(buf.readLine(EolStyle.LF)).isEqualTo("0");
            byte[] head = new byte[7];
            assertThat(buf.copyout(head, 0, head.length)).isEqualTo(7);
            assertThat(new String(head, US_ASCII)).isEqualTo("line 1\n");
            long at = buf.search("line 1999".getBytes(US_ASCII), null);
            assertThat(at).isEqualTo(text.indexOf("line 1999") - 7);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment native20 = arena.allocate(20);
                buf.drain(at);
                assertThat(buf.remove(native20)).isEqualTo(10);
                assertThat(native20.asSlice(0, 10).toArray(ValueLayout.JAVA_BYTE)).isEqualTo("line 1999\n".getBytes(US_ASCII));
            }
            assertThat(buf.length()).isZero();
            assertThat(Harness.openFds()).as("closed once drained").isEqualTo(fds);
            buf.addFile(file, 0, 10);
            assertThat(Harness.openFds()).isEqualTo(fds + 1);
        }
        assertThat(Harness.openFds()).as("closed with the buffer").isEqualTo(fds);
        try (EvBuffer buf = new EvBuffer()) {
            buf.setFlags(EvBuffer.DRAINS_TO_FD);
            assertThatThrownBy(() -> buf.addFile(file, 0, text.length() + 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> buf.addFile(dir.resolve("missing"), 0, -1)).isInstanceOf(IOException.class);
        }
        assertThat(Harness.openFds()).isEqualTo(fds);
    }

    @Test
    void withoutDrainsToFdTheFileIsMappedAndNoDescriptorStaysOpen() throws IOException {
        Path file = Files.writeString(dir.resolve("mapped"), "alpha\nbeta\ngamma\n", US_ASCII);
        long fds = Harness.openFds();
        try (EvBuffer buf = new EvBuffer()) {
            assertThat(buf.flags() & EvBuffer.DRAINS_TO_FD).isZero();
            buf.addFile(file, 6, -1);
            assertThat(Harness.openFds()).as("a mapping holds no descriptor").isEqualTo(fds);
            assertThat(buf.length()).isEqualTo(11);
            assertThat(buf.search("gamma".getBytes(US_ASCII), null)).isEqualTo(5);
            assertThat(buf.readLine(EolStyle.LF)).isEqualTo("beta");
            assertThat(buf.readLine(EolStyle.LF)).isEqualTo("gamma");
            buf.addFile(file, 0, 0); // empty range: nothing added
            assertThat(buf.length()).isZero();
            assertThatThrownBy(() -> buf.addFile(file, 10, 100)).isInstanceOf(IllegalArgumentException.class);
            buf.setFlags(EvBuffer.DRAINS_TO_FD);
            buf.clearFlags(EvBuffer.DRAINS_TO_FD);
            assertThat(buf.flags()).isZero();
        }
        assertThat(Harness.openFds()).isEqualTo(fds);
    }
}
