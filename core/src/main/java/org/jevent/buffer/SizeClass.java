package org.jevent.buffer;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Segments of one size, carved from slabs and recycled through a lock-free stack.
 *
 * <p>The stack is intrusive (the link lives in {@link Block.Pooled#nextFree}) so push and
 * pop allocate nothing. Its head packs a stamp (high 32 bits) with {@code id + 1} of the
 * top block (low 32 bits, 0 = empty); every successful CAS bumps the stamp, which defeats
 * ABA (a block popped and pushed back between another thread's read and its CAS).
 * Growing takes a lock, but only when the stack is empty.
 */
final class SizeClass {
    private static final long LOW = 0xffff_ffffL;

    final int segmentSize;
    private final int slabSegments;
    private final SegmentPool pool;
    private final AtomicLong head = new AtomicLong();
    /** Every block ever made, by id; replaced (never mutated once published) on growth. */
    private volatile Block.Pooled[] blocks = new Block.Pooled[0];

    SizeClass(SegmentPool pool, int segmentSize, int slabSegments) {
        this.pool = pool;
        this.segmentSize = segmentSize;
        this.slabSegments = slabSegments;
    }

    /** Number of segments carved so far. */
    int allocated() {
        return blocks.length;
    }

    private Block.Pooled pop() {
        for (;;) {
            long h = head.get();
            int top = (int) (h & LOW);
            if (top == 0) {
                return null;
            }
            // Read the array after the head: growth publishes it before pushing new ids.
            Block.Pooled block = blocks[top - 1];
            long next = (((h >>> 32) + 1) << 32) | (block.nextFree & LOW);
            if (head.compareAndSet(h, next)) {
                return block;
            }
        }
    }

    /** Takes back a block whose last reference was released. */
    void recycle(Block.Pooled block) {
        pool.returned();
        push(block);
    }

    private void push(Block.Pooled block) {
        for (;;) {
            long h = head.get();
            block.nextFree = (int) (h & LOW);
            long next = (((h >>> 32) + 1) << 32) | (block.id + 1L);
            if (head.compareAndSet(h, next)) {
                return;
            }
        }
    }

    /** A free segment, carving a new slab if none is left. */
    Block.Pooled acquire() {
        Block.Pooled block = pop();
        return block != null ? block : grow();
    }

    private synchronized Block.Pooled grow() {
        Block.Pooled block = pop(); // another thread may have grown meanwhile
        if (block != null) {
            return block;
        }
        MemorySegment slab = pool.arena.allocate((long) segmentSize * slabSegments, SegmentPool.ALIGNMENT);
        Block.Pooled[] old = blocks;
        Block.Pooled[] grown = Arrays.copyOf(old, old.length + slabSegments);
        for (int i = 0; i < slabSegments; i++) {
            int id = old.length + i;
            grown[id] = new Block.Pooled(slab.asSlice((long) i * segmentSize, segmentSize), this, id);
        }
        blocks = grown;
        for (int i = 1; i < slabSegments; i++) {
            push(grown[old.length + i]);
        }
        return grown[old.length];
    }
}
