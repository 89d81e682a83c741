package org.jevent.buffer;

/**
 * One node of an {@link EvBuffer}'s chain ({@code struct evbuffer_chain}): the live bytes
 * {@code [start, end)} of a {@link Block}. The node that held a pooled block's last reference
 * goes back to the pool with it and serves that block's next owner; nodes over shared blocks
 * are kept as spares by their buffers. So adding and draining allocate none in steady state,
 * and an emptied buffer holds no node. Moving data between buffers relinks nodes.
 */
final class Chunk {
    Block block;
    long start;
    long end;
    Chunk next;

    long length() {
        return end - start;
    }

    /** Free space after the data that this chunk alone may write into. */
    long spaceAfter() {
        return block.writable() ? block.capacity() - end : 0;
    }

    /** Free space before the data that this chunk alone may write into. */
    long spaceBefore() {
        return block.writable() ? start : 0;
    }
}
