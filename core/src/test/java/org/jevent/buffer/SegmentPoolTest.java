package org.jevent.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SegmentPoolTest {

    @Test
    void segmentsComeFromSlabsAndAreRecycled() {
        try (SegmentPool pool = new SegmentPool(64, 1024)) {
            Block a = pool.acquire(10);
            assertThat(a.capacity()).isEqualTo(64);
            assertThat(pool.allocated()).as("one slab of 256 KiB / 64").isEqualTo(4096);
            assertThat(pool.inUse()).isEqualTo(1);
            a.release();
            assertThat(pool.inUse()).isZero();
            Block again = pool.acquire(64);
            assertThat(again).as("recycled from the free list").isSameAs(a);
            again.release();
        }
    }

    @Test
    void sizeClassesAndDedicatedSegments() {
        try (SegmentPool pool = new SegmentPool(64, 1024)) {
            Block large = pool.acquire(65);
            assertThat(large.capacity()).isEqualTo(1024);
            Block huge = pool.acquire(5000);
            assertThat(huge.capacity()).isEqualTo(5000);
            assertThat(huge.memory.address() % 4096).isZero();
            long allocated = pool.allocated();
            huge.release();
            assertThat(pool.allocated()).isEqualTo(allocated - 1);
            large.release();
            assertThat(pool.inUse()).isZero();
        }
    }

    @Test
    void sharedReferencesFreeOnTheLastRelease() {
        try (SegmentPool pool = new SegmentPool()) {
            Block b = pool.acquire(1);
            b.retain();
            assertThat(b.writable()).isFalse();
            b.release();
            assertThat(pool.inUse()).isEqualTo(1);
            assertThat(b.writable()).isTrue();
            b.release();
            assertThat(pool.inUse()).isZero();
        }
    }

    @Test
    void closeRefusesWhileSegmentsAreInUseAndValidatesSizes() {
        SegmentPool pool = new SegmentPool();
        Block b = pool.acquire(1);
        assertThatThrownBy(pool::close).isInstanceOf(IllegalStateException.class);
        b.release();
        pool.close();
        assertThatThrownBy(() -> new SegmentPool(100, 1024)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SegmentPool(1024, 1024)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void warmPoolAcquiresWithoutGrowing() {
        try (SegmentPool pool = new SegmentPool(64, 1024)) {
            Block[] blocks = new Block[100];
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = pool.acquire(1000);
                }
                for (Block b : blocks) {
                    b.release();
                }
            }
            assertThat(pool.allocated()).as("large slabs of 1024 segments, no growth after the first").isEqualTo(1024);
        }
    }
}
