package org.jevent.buffer;

/**
 * One node of an {@link EvBuffer}'s chain ({@code struct evbuffer_chain}): the live bytes
 * {@code [start, end)} of a {@link Block}. Nodes are recycled by their buffer, so adding and
 * draining allocate none in steady state; moving data between buffers relinks nodes.
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
