package org.jevent.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File segments: kept as file ranges for sendfile, read through the channel otherwise. */
class EvBufferFileTest extends BufferTestSupport {
    @TempDir
    Path dir;

    private FileChannel open(String content) throws IOException {
        Path file = dir.resolve("data.txt");
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    @Test
    void fileSegmentIsReadThroughTheChannel() throws IOException {
        try (FileChannel ch = open("0123456789line one\nline two\n")) {
            EvBuffer b = buffer("<");
            b.addFile(ch, 10, -1, false);
            b.add(bytes(">"));
            assertThat(b.length()).isEqualTo(20);
            assertThat(contents(b)).isEqualTo("<line one\nline two\n>");
            assertThat(b.search(bytes("two"), null)).isEqualTo(15);
            b.drain(1);
            assertThat(b.readLine(EolStyle.LF)).isEqualTo("line one");
            byte[] out = new byte[4];
            assertThat(b.remove(out)).isEqualTo(4);
            assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("line");
            assertThat(b.pullup(-1).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(bytes(" two\n>"));
            assertThat(ch.isOpen()).isTrue();
        }
    }

    @Test
    void frontFileSegmentIsDescribedForSendfileAndGatherStopsBeforeIt() throws IOException {
        FileChannel ch = open("abcdefghij");
        EvBuffer b = buffer("head");
        b.addFile(ch, 2, 5, true);
        BufferVectors iov = new BufferVectors(4);
        assertThat(b.gatherForWrite(iov, 100)).isEqualTo(4);
        assertThat(iov.count()).isEqualTo(1);
        assertThat(b.frontFileChannel()).isNull();
        b.drain(4);
        assertThat(b.frontFileChannel()).isSameAs(ch);
        assertThat(b.frontFilePosition()).isEqualTo(2);
        assertThat(b.frontFileLength()).isEqualTo(5);
        assertThat(b.gatherForWrite(iov, 100)).isZero();
        b.drain(3); // pretend sendfile sent 3
        assertThat(b.frontFilePosition()).isEqualTo(5);
        assertThat(b.frontFileLength()).isEqualTo(2);
        assertThat(ch.isOpen()).isTrue();
        b.drain(2);
        assertThat(ch.isOpen()).as("closed once drained").isFalse();
        assertThatThrownBy(b::frontFilePosition).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ownedFileIsClosedWithTheBufferAndRangeIsChecked() throws IOException {
        FileChannel ch = open("abc");
        EvBuffer b = buffer();
        assertThatThrownBy(() -> b.addFile(ch, 1, 5, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ch.isOpen()).isTrue();
        b.addFile(ch, 0, 3, true);
        b.close();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void fileSegmentsMoveBetweenBuffers() throws IOException {
        try (FileChannel ch = open("0123456789")) {
            EvBuffer a = buffer();
            a.addFile(ch, 0, 10, false);
            EvBuffer b = buffer();
            assertThat(a.removeBuffer(b, 4)).isEqualTo(4);
            assertThat(contents(b)).isEqualTo("0123");
            assertThat(contents(a)).isEqualTo("456789");
            EvBuffer c = buffer();
            c.addBufferReference(a);
            a.drain(6);
            assertThat(contents(c)).isEqualTo("456789");
        }
    }
}
