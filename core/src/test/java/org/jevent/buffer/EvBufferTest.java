package org.jevent.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The evbuffer regress group: adding, removing, moving, viewing and reserving bytes. */
class EvBufferTest extends BufferTestSupport {

    @Test
    void addThenRemoveReturnsTheSameBytes() {
        EvBuffer b = buffer();
        b.add(bytes("hello "));
        b.add(bytes("world"));
        assertThat(b.length()).isEqualTo(11);
        byte[] out = new byte[20];
        assertThat(b.remove(out, 0, 5)).isEqualTo(5);
        assertThat(new String(out, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("hello");
        assertThat(b.remove(out)).isEqualTo(6);
        assertThat(new String(out, 0, 6, StandardCharsets.ISO_8859_1)).isEqualTo(" world");
        assertThat(b.length()).isZero();
        assertThat(pool.inUse()).as("draining everything releases every segment").isZero();
    }

    @Test
    void removeFromEmptyBufferReturnsZero() {
        EvBuffer b = buffer();
        assertThat(b.remove(new byte[4])).isZero();
        assertThat(b.copyout(new byte[4], 0, 4)).isZero();
    }

    @Test
    void largeAddSpansManySegmentsAndComesBackIntact() {
        EvBuffer b = buffer();
        byte[] data = pattern(100_000, 3);
        b.add(data);
        assertThat(b.length()).isEqualTo(100_000);
        assertThat(pool.inUse()).isGreaterThan(90); // 1 KiB segments
        byte[] out = new byte[100_000];
        assertThat(b.remove(out)).isEqualTo(100_000);
        assertThat(out).isEqualTo(data);
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void manySmallAddsFillSegmentsBeforeTakingNewOnes() {
        EvBuffer b = buffer();
        for (int i = 0; i < 64; i++) {
            b.add(new byte[] {(byte) i});
        }
        assertThat(pool.inUse()).as("64 one-byte adds fit one 64-byte segment").isEqualTo(1);
        b.add(new byte[] {64});
        assertThat(pool.inUse()).isEqualTo(2);
    }

    @Test
    void addFromByteBufferAndSegmentAndString() {
        EvBuffer b = buffer();
        ByteBuffer heap = ByteBuffer.wrap(bytes("xxheap")).position(2);
        b.add(heap);
        assertThat(heap.hasRemaining()).isFalse();
        ByteBuffer direct = ByteBuffer.allocateDirect(6).put(bytes("direct")).flip();
        b.add(direct);
        try (Arena arena = Arena.ofConfined()) {
            b.add(arena.allocateFrom("seg", StandardCharsets.US_ASCII).asSlice(0, 3));
        }
        b.add("é", StandardCharsets.UTF_8);
        assertThat(contents(b)).isEqualTo("heapdirectseg\u00c3\u00a9");
    }

    @Test
    void addPrintfFormatsAndReturnsTheByteCount() {
        EvBuffer b = buffer();
        assertThat(b.addPrintf("%s=%d;%.1f", "x", 42, 1.5)).isEqualTo(8);
        assertThat(contents(b)).isEqualTo("x=42;1.5");
        assertThat(b.length()).isEqualTo(8);
    }

    @Test
    void addBufferMovesSegmentsWithoutCopying() {
        EvBuffer src = buffer();
        src.add(pattern(3000, 1));
        EvBuffer dst = buffer("head:");
        long inUse = pool.inUse();
        BufferVectors before = new BufferVectors(16);
        int n = src.peek(-1, null, before);
        MemorySegment firstBase = before.base(0);
        long firstAddress = before.address(0);

        dst.addBuffer(src);

        assertThat(pool.inUse()).as("no segment acquired or released").isEqualTo(inUse);
        assertThat(src.length()).isZero();
        assertThat(dst.length()).isEqualTo(3005);
        BufferVectors after = new BufferVectors(16);
        assertThat(dst.peek(-1, null, after)).isEqualTo(n + 1);
        assertThat(after.base(1)).isSameAs(firstBase);
        assertThat(after.address(1)).isEqualTo(firstAddress);
        byte[] out = new byte[3005];
        dst.remove(out);
        assertThat(Arrays.copyOfRange(out, 5, 3005)).isEqualTo(pattern(3000, 1));
    }

    @Test
    void addBufferToItselfIsRejected() {
        EvBuffer b = buffer("x");
        assertThatThrownBy(() -> b.addBuffer(b)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addBufferAfterExpandDropsTheSpareTail() {
        EvBuffer dst = buffer();
        dst.expand(500);
        dst.addBuffer(buffer("abc"));
        dst.add(bytes("def"));
        assertThat(contents(dst)).isEqualTo("abcdef");
        BufferVectors v = new BufferVectors(4);
        assertThat(dst.peek(-1, null, v)).as("the spare segment was released, not left mid-chain").isEqualTo(1);
    }

    @Test
    void prependInsertsBeforeExistingData() {
        EvBuffer b = buffer("world");
        b.prepend(bytes("hello "));
        b.prepend(bytes(">"));
        assertThat(contents(b)).isEqualTo(">hello world");
    }

    @Test
    void prependReusesRoomFreedByDrain() {
        EvBuffer b = buffer("0123456789");
        b.drain(4);
        long inUse = pool.inUse();
        b.prepend(bytes("abcd"));
        assertThat(pool.inUse()).isEqualTo(inUse);
        assertThat(contents(b)).isEqualTo("abcd456789");
    }

    @Test
    void largePrependSpansSegmentsInOrder() {
        EvBuffer b = buffer("tail");
        byte[] data = pattern(5000, 9);
        b.prepend(data);
        byte[] out = new byte[5004];
        b.copyout(out, 0, out.length);
        assertThat(Arrays.copyOf(out, 5000)).isEqualTo(data);
        assertThat(new String(out, 5000, 4, StandardCharsets.ISO_8859_1)).isEqualTo("tail");
    }

    @Test
    void prependToEmptyAndExpandedBuffer() {
        EvBuffer b = buffer();
        b.expand(100);
        b.prepend(bytes("x"));
        b.add(bytes("y"));
        assertThat(contents(b)).isEqualTo("xy");
    }

    @Test
    void prependBufferMovesInFront() {
        EvBuffer b = buffer("world");
        EvBuffer src = buffer("hello ");
        src.expand(300); // spare space in src must not end up in the middle
        long inUse = pool.inUse();
        b.prependBuffer(src);
        assertThat(src.length()).isZero();
        assertThat(contents(b)).isEqualTo("hello world");
        assertThat(pool.inUse()).isLessThan(inUse);
        b.add(bytes("!"));
        assertThat(contents(b)).isEqualTo("hello world!");
    }

    @Test
    void drainPartOfASegmentThenAcrossSegments() {
        EvBuffer b = buffer();
        byte[] data = pattern(200, 0);
        b.add(data);
        b.drain(10);
        assertThat(b.length()).isEqualTo(190);
        b.drain(100);
        byte[] out = new byte[90];
        b.copyout(out, 0, 90);
        assertThat(out).isEqualTo(Arrays.copyOfRange(data, 110, 200));
        b.drain(1000);
        assertThat(b.length()).isZero();
        assertThat(pool.inUse()).isZero();
        assertThatThrownBy(() -> b.drain(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removeBufferMovesWholeChunksAndSharesACutOne() {
        EvBuffer src = chained("aaaa", "bbbb", "cccc");
        EvBuffer dst = buffer("> ");
        long inUse = pool.inUse();
        assertThat(src.removeBuffer(dst, 6)).isEqualTo(6);
        assertThat(pool.inUse()).as("moved and shared, nothing copied").isEqualTo(inUse);
        assertThat(contents(dst)).isEqualTo("> aaaabb");
        assertThat(contents(src)).isEqualTo("bbcccc");
        dst.add(bytes("!")); // the shared segment is read-only: this goes to a new one
        src.add(bytes("?"));
        assertThat(contents(dst)).isEqualTo("> aaaabb!");
        assertThat(contents(src)).isEqualTo("bbcccc?");
        assertThat(src.removeBuffer(dst, 100)).isEqualTo(7);
        assertThat(contents(dst)).isEqualTo("> aaaabb!bbcccc?");
    }

    @Test
    void copyoutDoesNotDrain() {
        EvBuffer b = chained("abc", "def");
        byte[] out = new byte[4];
        assertThat(b.copyout(out, 0, 4)).isEqualTo(4);
        assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("abcd");
        assertThat(b.length()).isEqualTo(6);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(10);
            assertThat(b.copyout(seg)).isEqualTo(6);
            assertThat(seg.get(ValueLayout.JAVA_BYTE, 5)).isEqualTo((byte) 'f');
        }
    }

    @Test
    void copyoutFromPositionsAcrossChunks() {
        EvBuffer b = chained("abc", "def", "ghi");
        BufferPosition pos = new BufferPosition();
        assertThat(b.ptrSet(pos, 2, BufferPosition.How.SET)).isTrue();
        byte[] out = new byte[5];
        assertThat(b.copyoutFrom(pos, out, 0, 5)).isEqualTo(5);
        assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("cdefg");
        assertThat(b.ptrSet(pos, 5, BufferPosition.How.ADD)).isTrue();
        assertThat(b.copyoutFrom(pos, out, 0, 5)).isEqualTo(2);
        assertThat(b.ptrSet(pos, 2, BufferPosition.How.ADD)).isTrue();
        assertThat(pos.position()).isEqualTo(9);
        assertThat(b.copyoutFrom(pos, out, 0, 5)).as("at the end").isZero();
        assertThat(b.length()).isEqualTo(9);
    }

    @Test
    void ptrSetRejectsPositionsPastTheEnd() {
        EvBuffer b = buffer("0123456789");
        BufferPosition pos = new BufferPosition();
        assertThat(b.ptrSet(pos, 10, BufferPosition.How.SET)).as("the end is valid").isTrue();
        assertThat(b.ptrSet(pos, 11, BufferPosition.How.SET)).isFalse();
        assertThat(pos.position()).isEqualTo(-1);
        assertThat(b.ptrSet(pos, 1, BufferPosition.How.ADD)).as("ADD from -1").isFalse();
        assertThat(b.ptrSet(pos, 8, BufferPosition.How.SET)).isTrue();
        assertThat(b.ptrSet(pos, 3, BufferPosition.How.ADD)).isFalse();
        assertThat(pos.position()).isEqualTo(-1);
        assertThat(b.ptrSet(pos, -1, BufferPosition.How.SET)).isFalse();
        BufferPosition bad = new BufferPosition();
        b.ptrSet(bad, 99, BufferPosition.How.SET);
        assertThatThrownBy(() -> b.copyoutFrom(bad, new byte[1], 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pullupInsideFirstChunkReturnsAViewWithoutCopying() {
        EvBuffer b = buffer("abcdef");
        long inUse = pool.inUse();
        MemorySegment view = b.pullup(4);
        assertThat(view.byteSize()).isEqualTo(4);
        assertThat(new String(view.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1)).isEqualTo("abcd");
        assertThat(pool.inUse()).isEqualTo(inUse);
    }

    @Test
    void pullupAcrossChunksMakesThemContiguous() {
        EvBuffer b = chained("abc", "def", "ghi", "jkl");
        assertThat(b.contiguousSpace()).isEqualTo(3);
        MemorySegment view = b.pullup(7);
        assertThat(new String(view.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1)).isEqualTo("abcdefg");
        assertThat(b.contiguousSpace()).isGreaterThanOrEqualTo(7);
        assertThat(contents(b)).isEqualTo("abcdefghijkl");
        assertThat(b.length()).isEqualTo(12);
        MemorySegment all = b.pullup(-1);
        assertThat(all.byteSize()).isEqualTo(12);
        assertThat(b.contiguousSpace()).isEqualTo(12);
    }

    @Test
    void pullupLargerThanASegmentAndTooLarge() {
        EvBuffer b = buffer();
        byte[] data = pattern(5000, 4);
        b.add(data);
        assertThat(b.pullup(5001)).isNull();
        MemorySegment all = b.pullup(5000);
        assertThat(all.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(data);
        assertThat(b.pullup(0).byteSize()).isZero();
        b.drain(5000);
        assertThat(pool.inUse()).as("dedicated segment freed").isZero();
    }

    @Test
    void peekFillsReusableExtentsAndCountsTheNeededOnes() {
        EvBuffer b = chained("abc", "defg", "hi");
        BufferVectors v = new BufferVectors(2);
        assertThat(b.peek(-1, null, v)).isEqualTo(3);
        assertThat(v.count()).isEqualTo(2);
        assertThat(v.length(0)).isEqualTo(3);
        assertThat(v.length(1)).isEqualTo(4);
        assertThat(b.peek(5, null, v)).isEqualTo(2);
        assertThat(v.length(1)).as("trimmed to the requested length").isEqualTo(2);
        BufferPosition pos = new BufferPosition();
        b.ptrSet(pos, 4, BufferPosition.How.SET);
        assertThat(b.peek(4, pos, v)).isEqualTo(2);
        assertThat(new String(v.segment(0).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1)).isEqualTo("efg");
        assertThat(new String(v.segment(1).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1)).isEqualTo("h");
        assertThat(b.peek(0, null, v)).isZero();
        assertThat(b.length()).isEqualTo(9);
    }

    @Test
    void expandGuaranteesOneContiguousChunk() {
        EvBuffer b = buffer("x");
        b.expand(500);
        long inUse = pool.inUse();
        b.add(pattern(500, 0));
        assertThat(pool.inUse()).as("expand took the space in advance").isEqualTo(inUse);
        BufferVectors v = new BufferVectors(4);
        assertThat(b.peek(-1, null, v)).isEqualTo(2);
        assertThat(v.length(1)).isEqualTo(500);
    }

    @Test
    void reserveAndCommitOneVector() {
        EvBuffer b = buffer("ab");
        BufferVectors v = new BufferVectors(2);
        assertThat(b.reserveSpace(100, 1, v)).isEqualTo(1);
        assertThat(v.length(0)).isGreaterThanOrEqualTo(100);
        v.segment(0).asSlice(0, 3).copyFrom(MemorySegment.ofArray(bytes("cde")));
        v.setLength(0, 3);
        b.commitSpace(v);
        assertThat(contents(b)).isEqualTo("abcde");
    }

    @Test
    void reserveTwoVectorsUsesTheTailRoomFirst() {
        EvBuffer b = buffer();
        b.add(pattern(60, 0)); // 4 bytes left in the 64-byte segment
        BufferVectors v = new BufferVectors(2);
        assertThat(b.reserveSpace(50, 2, v)).isEqualTo(2);
        assertThat(v.length(0)).isEqualTo(4);
        assertThat(v.length(1)).isGreaterThanOrEqualTo(46);
        v.segment(0).fill((byte) 'X');
        v.segment(1).asSlice(0, 6).fill((byte) 'Y');
        v.setLength(1, 6);
        b.commitSpace(v);
        assertThat(contents(b)).endsWith("XXXXYYYYYY");
        assertThat(b.length()).isEqualTo(70);
    }

    @Test
    void commitingNothingIntoTheFirstOfTwoFreshExtentsKeepsTheChainTidy() {
        EvBuffer b = buffer();
        b.expand(10); // a 64-byte tail with room but less than asked below
        BufferVectors v = new BufferVectors(2);
        assertThat(b.reserveSpace(100, 2, v)).isEqualTo(2);
        v.setLength(0, 0);
        v.segment(1).asSlice(0, 2).fill((byte) 'z');
        v.setLength(1, 2);
        b.commitSpace(v);
        assertThat(contents(b)).isEqualTo("zz");
        assertThat(b.contiguousSpace()).isEqualTo(2);
        b.prepend(bytes("a"));
        assertThat(contents(b)).isEqualTo("azz");
    }

    @Test
    void commitAfterAnotherChangeOrWithForeignExtentsFails() {
        EvBuffer b = buffer();
        BufferVectors v = new BufferVectors(2);
        b.reserveSpace(10, 1, v);
        b.add(bytes("x"));
        assertThatThrownBy(() -> b.commitSpace(v)).isInstanceOf(IllegalStateException.class);
        b.reserveSpace(10, 1, v);
        EvBuffer other = buffer();
        BufferVectors w = new BufferVectors(1);
        other.reserveSpace(10, 1, w);
        assertThatThrownBy(() -> b.commitSpace(w)).isInstanceOf(IllegalArgumentException.class);
        b.commitSpace(v); // still valid: the failed commit changed nothing
        assertThat(b.length()).isEqualTo(1 + v.length(0));
    }

    @Test
    void ioHooksGatherForWritevAndReserveForReadv() {
        EvBuffer b = chained("abc", "defg", "hij");
        BufferVectors iov = new BufferVectors(2);
        assertThat(b.gatherForWrite(iov, 1000)).isEqualTo(7);
        assertThat(iov.count()).isEqualTo(2);
        assertThat(iov.address(1)).isEqualTo(iov.base(1).address() + iov.offset(1));
        b.drain(5); // pretend writev wrote 5
        assertThat(b.gatherForWrite(iov, 3)).isEqualTo(3);
        assertThat(iov.length(0)).isEqualTo(2);
        assertThat(iov.length(1)).isEqualTo(1);

        EvBuffer in = buffer();
        in.setMaxReadSize(100);
        BufferVectors rv = new BufferVectors(2);
        int n = in.reserveForRead(0, rv);
        long offered = 0;
        for (int i = 0; i < n; i++) {
            offered += rv.length(i);
        }
        assertThat(offered).isGreaterThanOrEqualTo(100);
        MemorySegment.copy(MemorySegment.ofArray(bytes("read!")), 0, rv.base(0), rv.offset(0), 5);
        in.commitRead(5);
        assertThat(contents(in)).isEqualTo("read!");
        assertThatThrownBy(() -> in.commitRead(1)).as("reservation used up").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readIntoTwoExtentsCommitsInOrder() {
        EvBuffer in = buffer();
        in.add(pattern(60, 0));
        BufferVectors rv = new BufferVectors(2);
        assertThat(in.reserveForRead(10, rv)).isEqualTo(2);
        rv.segment(0).fill((byte) '1');
        rv.segment(1).asSlice(0, 6).fill((byte) '2');
        assertThatThrownBy(() -> in.commitRead(100_000)).isInstanceOf(IllegalArgumentException.class);
        in.commitRead(10);
        assertThat(contents(in)).endsWith("1111222222");
    }

    @Test
    void addReferenceCleansUpOnceWhenDrained() {
        AtomicInteger cleanups = new AtomicInteger();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom("referenced", StandardCharsets.US_ASCII).asSlice(0, 10);
            EvBuffer b = buffer("<");
            b.addReference(data, cleanups::incrementAndGet);
            b.add(bytes(">"));
            assertThat(contents(b)).isEqualTo("<referenced>");
            b.drain(5);
            assertThat(cleanups).hasValue(0);
            b.prepend(bytes("-")); // never written into the user's memory
            assertThat(data.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(bytes("referenced"));
            b.drain(8);
            assertThat(cleanups).hasValue(1);
            b.drain(1);
            assertThat(cleanups).hasValue(1);
        }
    }

    @Test
    void addReferenceCleansUpOnCloseAndOnlyAfterEverySharerDropped() {
        AtomicInteger cleanups = new AtomicInteger();
        try (Arena arena = Arena.ofConfined()) {
            EvBuffer a = buffer();
            a.addReference(arena.allocate(32), cleanups::incrementAndGet);
            EvBuffer b = buffer();
            b.addBufferReference(a);
            a.close();
            assertThat(cleanups).hasValue(0);
            b.close();
            assertThat(cleanups).hasValue(1);
            b.close();
            assertThat(cleanups).hasValue(1);
            EvBuffer c = buffer();
            c.addReference(arena.allocate(0), cleanups::incrementAndGet);
            assertThat(cleanups).as("nothing to hold: cleaned at once").hasValue(2);
            assertThatThrownBy(() -> c.addReference(MemorySegment.ofArray(new byte[1]), null))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void addBufferReferenceSharesWithoutCopyAndLeavesSourceIntact() {
        EvBuffer src = chained("abc", "def");
        EvBuffer dst = buffer("<");
        long inUse = pool.inUse();
        dst.addBufferReference(src);
        assertThat(pool.inUse()).isEqualTo(inUse);
        assertThat(contents(dst)).isEqualTo("<abcdef");
        assertThat(contents(src)).isEqualTo("abcdef");
        src.add(bytes("ghi")); // shared segments are read-only: no effect on dst
        dst.add(bytes(">"));
        assertThat(contents(dst)).isEqualTo("<abcdef>");
        assertThat(contents(src)).isEqualTo("abcdefghi");
        src.drain(9);
        assertThat(contents(dst)).isEqualTo("<abcdef>");
        assertThatThrownBy(() -> src.addBufferReference(src)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void freezeBlocksTheFrozenEndOnly() {
        EvBuffer b = buffer("abc");
        b.freeze(true);
        assertThatThrownBy(() -> b.drain(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.remove(new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.prepend(bytes("x"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.readLine(EolStyle.ANY)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.removeBuffer(buffer(), 1)).isInstanceOf(IllegalStateException.class);
        b.add(bytes("d"));
        b.unfreeze(true);
        b.freeze(false);
        assertThatThrownBy(() -> b.add(bytes("e"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.addBuffer(buffer("e"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.reserveSpace(1, 1, new BufferVectors(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> buffer("z").removeBuffer(b, 1)).isInstanceOf(IllegalStateException.class);
        b.prepend(bytes(">"));
        b.drain(1);
        assertThat(contents(b)).isEqualTo("abcd");
        b.unfreeze(false);
        b.add(bytes("e"));
        assertThat(contents(b)).isEqualTo("abcde");
    }

    @Test
    void callbacksSeeEveryChangeWithSizes() {
        EvBuffer b = buffer();
        List<String> seen = new ArrayList<>();
        BufferCallbackEntry entry = b.addCallback((buf, orig, added, deleted) -> {
            assertThat(buf).isSameAs(b);
            seen.add(orig + "+" + added + "-" + deleted);
        });
        b.add(bytes("hello"));
        b.drain(2);
        b.prepend(bytes("x"));
        b.drain(0); // no change: no call
        EvBuffer other = buffer("12");
        b.addBuffer(other);
        b.removeBuffer(other, 3);
        assertThat(seen).containsExactly("0+5-0", "5+0-2", "3+1-0", "4+2-0", "6+0-3");

        b.setCallbackEnabled(entry, false);
        b.add(bytes("y"));
        assertThat(seen).hasSize(5);
        b.setCallbackEnabled(entry, true);
        b.suspendCallbacks();
        b.add(bytes("zz"));
        b.drain(1);
        assertThat(seen).hasSize(5);
        b.unsuspendCallbacks();
        assertThat(seen).hasSize(6).last().isEqualTo("4+2-1");
        b.removeCallback(entry);
        assertThat(entry.isRemoved()).isTrue();
        b.add(bytes("w"));
        assertThat(seen).hasSize(6);
        assertThatThrownBy(b::unsuspendCallbacks).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ownerIsToldFirstAndAtOnceEvenWhileCallbacksWait() {
        List<String> seen = new ArrayList<>();
        EvBuffer b = new EvBuffer(SegmentPool.shared(),
                (buf, orig, added, deleted) -> seen.add("owner " + orig + "+" + added + "-" + deleted));
        b.add(bytes("ab"));
        assertThat(seen).containsExactly("owner 0+2-0");
        b.addCallback((buf, orig, added, deleted) -> seen.add("callback " + orig + "+" + added + "-" + deleted));
        b.drain(1);
        assertThat(seen).containsExactly("owner 0+2-0", "owner 2+0-1", "callback 2+0-1");
        b.suspendCallbacks();
        b.add(bytes("cd"));
        assertThat(seen).last().isEqualTo("owner 1+2-0");
        b.unsuspendCallbacks();
        assertThat(seen).last().isEqualTo("callback 1+2-0");
        b.drain(0);
        assertThat(seen).as("no change, no report").hasSize(5);
        b.close();
    }

    @Test
    void deferredCallbacksRunFromTheLoopWithSummedChanges() {
        try (org.jevent.EventBase base = org.jevent.EventBase.create()) {
            EvBuffer b = buffer();
            List<String> seen = new ArrayList<>();
            List<Boolean> onLoop = new ArrayList<>();
            b.addCallback((buf, orig, added, deleted) -> {
                seen.add(orig + "+" + added + "-" + deleted);
                onLoop.add(base.inLoopThread());
            });
            b.deferCallbacks(base);
            b.add(bytes("hello"));
            b.drain(2);
            b.add(bytes("!"));
            assertThat(seen).as("nothing reported inside the changes").isEmpty();
            base.loop(org.jevent.EventBase.NONBLOCK);
            assertThat(seen).containsExactly("0+6-2");
            assertThat(onLoop).containsExactly(true);
            b.add(bytes("x"));
            base.loop(org.jevent.EventBase.NONBLOCK);
            assertThat(seen).containsExactly("0+6-2", "4+1-0");
            b.close();
            assertThat(base.pendingEvents() + base.activeEvents()).isZero();
        }
    }

    @Test
    void callbackMayRemoveAnotherDuringNotification() {
        EvBuffer b = buffer();
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        BufferCallbackEntry[] secondEntry = new BufferCallbackEntry[1];
        b.addCallback((buf, o, a, d) -> {
            first.incrementAndGet();
            buf.removeCallback(secondEntry[0]);
        });
        secondEntry[0] = b.addCallback((buf, o, a, d) -> second.incrementAndGet());
        b.add(bytes("x"));
        b.add(bytes("y"));
        assertThat(first).hasValue(2);
        assertThat(second).hasValue(0);
    }

    @Test
    void closeReleasesEverythingAndRejectsLaterAdds() {
        EvBuffer b = buffer();
        b.add(pattern(5000, 0));
        b.expand(2000);
        assertThat(pool.inUse()).isPositive();
        b.close();
        assertThat(pool.inUse()).isZero();
        assertThat(b.length()).isZero();
        assertThatThrownBy(() -> b.add(bytes("x"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.expand(1)).isInstanceOf(IllegalStateException.class);
        b.close();
    }

    @Test
    void sharedPoolBackedBufferWorks() {
        long before = SegmentPool.shared().inUse();
        try (EvBuffer b = new EvBuffer()) {
            b.add(pattern(10_000, 2));
            assertThat(SegmentPool.shared().inUse()).isGreaterThan(before);
        }
        assertThat(SegmentPool.shared().inUse()).isEqualTo(before);
        assertThatThrownBy(() -> SegmentPool.shared().close()).isInstanceOf(IllegalStateException.class);
    }
}
