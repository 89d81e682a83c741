package org.jevent.buffer;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pooled off-heap memory for {@link EvBuffer}s: two size classes of segments (by default
 * 4 KiB, and 64 KiB for big reads and bulk adds) carved from slabs of a shared arena and
 * recycled through lock-free free lists, so acquiring and releasing a segment allocates
 * nothing once the pool has warmed up. Requests larger than the large class get a dedicated
 * segment with its own arena, freed on release.
 *
 * <p>libevent allocates each chain with {@code malloc}; this pool is jevent's replacement.
 * {@link #allocated()} and {@link #inUse()} let tests check that every segment came back.
 * Thread-safe. Slab memory is returned to the OS only by {@link #close()}.
 */
public final class SegmentPool implements AutoCloseable {
    /** Alignment of every segment (a page, so segments never straddle pages needlessly). */
    static final long ALIGNMENT = 4096;
    /** Default size of the small class. */
    public static final int DEFAULT_SMALL = 4096;
    /** Default size of the large class. */
    public static final int DEFAULT_LARGE = 64 * 1024;

    private static final SegmentPool SHARED = new SegmentPool(DEFAULT_SMALL, DEFAULT_LARGE);

    final Arena arena = Arena.ofShared();
    private final SizeClass small;
    private final SizeClass large;
    private final AtomicLong inUse = new AtomicLong();
    private final AtomicLong dedicated = new AtomicLong();

    /** A pool with the default size classes. */
    public SegmentPool() {
        this(DEFAULT_SMALL, DEFAULT_LARGE);
    }

    /**
     * A pool with the given size classes (powers of two, {@code 64 <= small < large}); slabs
     * hold 256 KiB of small or 1 MiB of large segments (at least one segment).
     */
    public SegmentPool(int smallSize, int largeSize) {
        if (Integer.bitCount(smallSize) != 1 || Integer.bitCount(largeSize) != 1
                || smallSize < 64 || largeSize <= smallSize) {
            throw new IllegalArgumentException("size classes must be powers of two, 64 <= small < large: "
                    + smallSize + ", " + largeSize);
        }
        small = new SizeClass(this, smallSize, Math.max(1, (256 * 1024) / smallSize));
        large = new SizeClass(this, largeSize, Math.max(1, (1024 * 1024) / largeSize));
    }

    /** The process-wide pool used by {@code new EvBuffer()}; never closed. */
    public static SegmentPool shared() {
        return SHARED;
    }

    /** Size of the small class in bytes. */
    public int smallSize() {
        return small.segmentSize;
    }

    /** Size of the large class in bytes. */
    public int largeSize() {
        return large.segmentSize;
    }

    /** Segments created so far (pooled ones stay created; dedicated ones count while alive). */
    public long allocated() {
        return small.allocated() + large.allocated() + dedicated.get();
    }

    /** Segments currently acquired and not yet released: the leak check. */
    public long inUse() {
        return inUse.get();
    }

    /**
     * A block of at least {@code minCapacity} bytes with one reference: the smallest class
     * that fits, or a dedicated segment beyond the large class.
     */
    Block acquire(long minCapacity) {
        Block block;
        if (minCapacity <= small.segmentSize) {
            block = small.acquire();
        } else if (minCapacity <= large.segmentSize) {
            block = large.acquire();
        } else {
            dedicated.incrementAndGet();
            block = new Block.Dedicated(Arena.ofShared(), minCapacity, this);
        }
        inUse.incrementAndGet();
        block.claim();
        return block;
    }

    /** Bookkeeping when a block's last reference is released. */
    void dedicatedFreed() {
        dedicated.decrementAndGet();
        returned();
    }

    void returned() {
        inUse.decrementAndGet();
    }

    /**
     * Frees every slab. Fails while segments are in use (their buffers would point into
     * freed memory). The {@link #shared()} pool cannot be closed.
     */
    @Override
    public void close() {
        if (this == SHARED) {
            throw new IllegalStateException("the shared pool is never closed");
        }
        if (inUse() != 0) {
            throw new IllegalStateException(inUse() + " segments still in use");
        }
        arena.close();
    }
}
