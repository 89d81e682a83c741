package org.jevent.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Searching, end-of-line detection and line reading, with matches straddling chunks. */
class EvBufferSearchTest extends BufferTestSupport {

    private static BufferPosition at(EvBuffer b, long offset) {
        BufferPosition p = new BufferPosition();
        assertThat(b.ptrSet(p, offset, BufferPosition.How.SET)).isTrue();
        return p;
    }

    @Test
    void searchFindsFirstOccurrenceFromAPosition() {
        EvBuffer b = buffer("abc attack at dawn, attack");
        assertThat(b.search(bytes("attack"), null)).isEqualTo(4);
        assertThat(b.search(bytes("attack"), at(b, 5))).isEqualTo(20);
        assertThat(b.search(bytes("attack"), at(b, 21))).isEqualTo(-1);
        assertThat(b.search(bytes("dawn"), at(b, 14))).isEqualTo(14);
        assertThat(b.search(bytes(""), at(b, 3))).isEqualTo(3);
        assertThat(b.search(bytes("zzz"), null)).isEqualTo(-1);
    }

    @Test
    void searchMatchesAcrossChunkBoundaries() {
        EvBuffer b = chained("xxat", "t", "ack", "yy");
        assertThat(b.search(bytes("attack"), null)).isEqualTo(2);
        assertThat(b.search(bytes("tacky"), null)).isEqualTo(4);
        assertThat(b.search(bytes("ackyyz"), null)).isEqualTo(-1);
        // a partial match at the end of a chunk that fails must not hide a later one
        EvBuffer c = chained("aab", "aaab");
        assertThat(c.search(bytes("aaab"), null)).isEqualTo(3);
    }

    @Test
    void searchAcrossManySegments() {
        EvBuffer b = buffer();
        b.add(pattern(10_000, 0));
        b.add(bytes("NEEDLE"));
        b.add(pattern(3000, 1));
        assertThat(b.search(bytes("NEEDLE"), null)).isEqualTo(10_000);
        assertThat(b.search(bytes("NEEDLE"), at(b, 10_001))).isEqualTo(-1);
    }

    @Test
    void searchRangeRequiresTheWholeMatchBeforeTheEnd() {
        EvBuffer b = chained("hello ", "world");
        assertThat(b.searchRange(bytes("world"), null, at(b, 11))).isEqualTo(6);
        assertThat(b.searchRange(bytes("world"), null, at(b, 10))).as("match would pass the end").isEqualTo(-1);
        assertThat(b.searchRange(bytes("lo"), at(b, 2), at(b, 5))).isEqualTo(3);
        assertThat(b.searchRange(bytes("lo"), at(b, 2), at(b, 4))).isEqualTo(-1);
        assertThat(b.searchRange(bytes("o"), at(b, 5), at(b, 5))).isEqualTo(-1);
        BufferPosition bad = new BufferPosition();
        b.ptrSet(bad, 100, BufferPosition.How.SET);
        assertThatThrownBy(() -> b.search(bytes("x"), bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void searchEolReportsPositionAndLength() {
        EvBuffer b = buffer("line one\r\nline two\n");
        BufferPosition end = new BufferPosition();
        assertThat(b.searchEol(null, EolStyle.CRLF, end)).isEqualTo(8);
        assertThat(end.position()).isEqualTo(10);
        assertThat(b.searchEol(end, EolStyle.CRLF, end)).isEqualTo(18);
        assertThat(end.position()).isEqualTo(19);
        assertThat(b.searchEol(end, EolStyle.LF, end)).isEqualTo(-1);
        assertThat(end.position()).isEqualTo(-1);
        assertThat(b.searchEol(null, EolStyle.LF, null)).isEqualTo(9);
    }

    @Test
    void eolAnyTreatsEveryRunOfCrLfAsOneEnd() {
        EvBuffer b = buffer("a\r\n\r\nb\n\rc\rd\n");
        assertThat(b.readLine(EolStyle.ANY)).isEqualTo("a");
        assertThat(b.readLine(EolStyle.ANY)).isEqualTo("b");
        assertThat(b.readLine(EolStyle.ANY)).isEqualTo("c");
        assertThat(b.readLine(EolStyle.ANY)).isEqualTo("d");
        assertThat(b.readLine(EolStyle.ANY)).isNull();
        assertThat(b.length()).isZero();
    }

    @Test
    void eolAnyAcceptsALoneTrailingCr() {
        EvBuffer b = buffer("abc\r");
        assertThat(b.readLine(EolStyle.ANY)).as("libevent: a CR alone ends the line").isEqualTo("abc");
        assertThat(b.length()).isZero();
    }

    @Test
    void eolCrlfTakesLfWithOptionalCrAndKeepsLoneCr() {
        EvBuffer b = buffer("one\r\ntwo\nthr\ree\r\r\nfour\r");
        assertThat(b.readLine(EolStyle.CRLF)).isEqualTo("one");
        assertThat(b.readLine(EolStyle.CRLF)).isEqualTo("two");
        assertThat(b.readLine(EolStyle.CRLF)).isEqualTo("thr\ree\r");
        assertThat(b.readLine(EolStyle.CRLF)).as("CR without LF yet: incomplete").isNull();
        b.add(bytes("\n"));
        assertThat(b.readLine(EolStyle.CRLF)).isEqualTo("four");
        assertThat(b.length()).isZero();
    }

    @Test
    void eolCrlfStrictNeedsBothCharacters() {
        EvBuffer b = buffer("a\nb\r\r\nc\r\nd\r");
        assertThat(b.readLine(EolStyle.CRLF_STRICT)).isEqualTo("a\nb\r");
        assertThat(b.readLine(EolStyle.CRLF_STRICT)).isEqualTo("c");
        assertThat(b.readLine(EolStyle.CRLF_STRICT)).isNull();
        assertThat(b.length()).isEqualTo(2);
    }

    @Test
    void crCrLfUnderCrlfAndCrlfStrict() {
        assertThat(buffer("x\r\r\ny").readLine(EolStyle.CRLF)).isEqualTo("x\r");
        assertThat(buffer("x\r\r\ny").readLine(EolStyle.CRLF_STRICT)).isEqualTo("x\r");
        assertThat(buffer("x\r\r\ny").readLine(EolStyle.ANY)).isEqualTo("x");
        assertThat(buffer("x\r\r\ny").readLine(EolStyle.LF)).isEqualTo("x\r\r");
    }

    @Test
    void eolLfLeavesCrInTheLine() {
        EvBuffer b = buffer("a\r\nb\n\nc");
        assertThat(b.readLine(EolStyle.LF)).isEqualTo("a\r");
        assertThat(b.readLine(EolStyle.LF)).isEqualTo("b");
        assertThat(b.readLine(EolStyle.LF)).isEqualTo("");
        assertThat(b.readLine(EolStyle.LF)).isNull();
        assertThat(contents(b)).isEqualTo("c");
    }

    @Test
    void eolNulSplitsOnZeroBytes() {
        EvBuffer b = buffer();
        b.add(new byte[] {'a', 'b', 0, 0, 'c', '\n', 0, 'd'});
        assertThat(b.readLine(EolStyle.NUL)).isEqualTo("ab");
        assertThat(b.readLine(EolStyle.NUL)).isEqualTo("");
        assertThat(b.readLine(EolStyle.NUL)).isEqualTo("c\n");
        assertThat(b.readLine(EolStyle.NUL)).isNull();
        assertThat(contents(b)).isEqualTo("d");
    }

    @Test
    void crlfSplitAcrossChunks() {
        EvBuffer b = chained("first\r", "\nsecond\r", "\r", "\n");
        assertThat(b.searchEol(null, EolStyle.CRLF_STRICT, null)).isEqualTo(5);
        assertThat(b.readLine(EolStyle.CRLF)).isEqualTo("first");
        assertThat(b.readLine(EolStyle.CRLF)).isEqualTo("second\r");
        assertThat(b.length()).isZero();
        EvBuffer any = chained("x\r", "\n", "\r\ny");
        assertThat(any.readLine(EolStyle.ANY)).isEqualTo("x");
        assertThat(contents(any)).isEqualTo("y");
    }

    @Test
    void readLineOnAPartialLineReturnsNullAndKeepsTheBytes() {
        for (EolStyle style : EolStyle.values()) {
            EvBuffer b = buffer("no end yet");
            assertThat(b.readLine(style)).as(style.name()).isNull();
            assertThat(b.length()).isEqualTo(10);
        }
        assertThat(buffer().readLine(EolStyle.ANY)).isNull();
    }

    @Test
    void readLineIntoABufferMovesTheLineWithoutTheEol() {
        EvBuffer b = chained("GET / HT", "TP/1.1\r", "\nHost: x\r\n");
        EvBuffer line = buffer();
        assertThat(b.readLine(EolStyle.CRLF, line)).isEqualTo(14);
        assertThat(contents(line)).isEqualTo("GET / HTTP/1.1");
        assertThat(b.readLine(EolStyle.CRLF, line)).isEqualTo(7);
        assertThat(contents(line)).isEqualTo("GET / HTTP/1.1Host: x");
        assertThat(b.readLine(EolStyle.CRLF, line)).isEqualTo(-1);
        assertThat(b.length()).isZero();
    }

    @Test
    void readLineDecodesUtf8() {
        EvBuffer b = buffer();
        b.add("grüße\n", java.nio.charset.StandardCharsets.UTF_8);
        assertThat(b.readLine(EolStyle.LF)).isEqualTo("grüße");
    }
}
