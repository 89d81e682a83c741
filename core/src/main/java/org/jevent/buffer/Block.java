package org.jevent.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jevent.internal.linux.NativeFiles;
import org.jevent.net.WritableStream;

/**
 * The storage behind one or more chain nodes ({@link Chunk}s), reference-counted so that
 * several buffers can share it without copying ({@code evbuffer_add_buffer_reference}, a
 * split by {@code remove_buffer}). The last {@link #release()} frees it: a pooled segment
 * goes back to its {@link SizeClass}, a dedicated one closes its arena, a reference runs its
 * cleanup, a file segment closes its descriptor or (optionally) its channel.
 *
 * <p>Offsets are block-relative; for a file block they are positions in the file.
 */
abstract sealed class Block {
    private static final VarHandle REFS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(Block.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The bytes, or {@code null} for a file block. */
    final MemorySegment memory;
    @SuppressWarnings("unused") // accessed through REFS
    private volatile int refs;

    Block(MemorySegment memory) {
        this.memory = memory;
    }

    /** Marks this block owned by exactly one chunk (fresh or recycled). */
    final void claim() {
        REFS.setVolatile(this, 1);
    }

    final void retain() {
        REFS.getAndAdd(this, 1);
    }

    final void release() {
        release(null);
    }

    /**
     * Drops one reference; the last frees the block. Returns true if the block took
     * {@code node} (the chunk that held that last reference, already cleared) along to its
     * next owner: then the caller must not touch it again.
     */
    final boolean release(Chunk node) {
        if ((int) REFS.getAndAdd(this, -1) != 1) {
            return false;
        }
        boolean kept = node != null && keep(node);
        free();
        return kept;
    }

    /** Parks {@code node} with this freed block, if the block carries one; see {@link Pooled}. */
    boolean keep(Chunk node) {
        return false;
    }

    /** The node parked with this block when it was last freed, or null; for a fresh owner only. */
    Chunk takeNode() {
        return null;
    }

    /**
     * True when the single chunk holding this block may write into its unused space: the
     * memory is ours (not a user reference or a file) and nobody else shares it, so every
     * byte outside that chunk's range is free.
     */
    boolean writable() {
        return (int) REFS.getVolatile(this) == 1;
    }

    long capacity() {
        return memory.byteSize();
    }

    byte byteAt(long offset) {
        return memory.get(ValueLayout.JAVA_BYTE, offset);
    }

    /** Copies {@code n} bytes at {@code offset} to {@code dst} (a byte[] or MemorySegment). */
    void copyTo(long offset, Object dst, long dstOffset, long n) {
        Bytes.copy(memory, offset, dst, dstOffset, n);
    }

    abstract void free();

    /**
     * A segment of a {@link SegmentPool} size class; freeing returns it to the free list.
     * It carries one chain node through the free list: the chunk that held its last
     * reference parks here and the next owner's first chunk is that node, so neither a
     * drained buffer keeps a spare node for its next read nor does that read allocate one.
     * The size class's free list orders the hand-over (parked before the push, taken after
     * the pop).
     */
    static final class Pooled extends Block {
        final SizeClass sizeClass;
        final int id;
        /** Free-list link: {@code id + 1} of the next free block, 0 at the end. */
        int nextFree;
        /** The parked node while the block is free; null while it is in use. */
        private Chunk node;

        Pooled(MemorySegment memory, SizeClass sizeClass, int id) {
            super(memory);
            this.sizeClass = sizeClass;
            this.id = id;
        }

        @Override
        boolean keep(Chunk c) {
            node = c;
            return true;
        }

        @Override
        Chunk takeNode() {
            Chunk c = node;
            node = null;
            return c;
        }

        @Override
        void free() {
            sizeClass.recycle(this);
        }
    }

    /** A segment too large for any size class, with its own arena closed on free. */
    static final class Dedicated extends Block {
        private final Arena arena;
        private final SegmentPool pool;

        Dedicated(Arena arena, long size, SegmentPool pool) {
            super(arena.allocate(size, SegmentPool.ALIGNMENT));
            this.arena = arena;
            this.pool = pool;
        }

        @Override
        void free() {
            arena.close();
            pool.dedicatedFreed();
        }
    }

    /** User memory added by reference ({@code evbuffer_add_reference}); never written to. */
    static final class Reference extends Block {
        private final Runnable cleanup;

        Reference(MemorySegment memory, Runnable cleanup) {
            super(memory);
            this.cleanup = cleanup;
        }

        @Override
        boolean writable() {
            return false;
        }

        @Override
        void free() {
            if (cleanup != null) {
                cleanup.run();
            }
        }
    }

    /**
     * A range of a file ({@code evbuffer_add_file}). An I/O layer sends it without copying
     * ({@link #sendTo}); everything else reads it (the copying fallback). Single-byte access
     * (search, EOL scans) goes through a small window cache.
     */
    abstract static sealed class FileBacked extends Block permits File, NativeFile {
        private static final int WINDOW = 4096;
        private byte[] window;
        private long windowStart = -1;
        private int windowLength;

        FileBacked() {
            super(null);
        }

        @Override
        boolean writable() {
            return false;
        }

        @Override
        long capacity() {
            return 0;
        }

        @Override
        synchronized byte byteAt(long offset) { // the window is shared by buffers sharing the block
            if (offset < windowStart || offset >= windowStart + windowLength) {
                if (window == null) {
                    window = new byte[WINDOW];
                }
                windowLength = (int) readSome(offset, MemorySegment.ofArray(window));
                windowStart = offset;
            }
            return window[(int) (offset - windowStart)];
        }

        @Override
        void copyTo(long offset, Object dst, long dstOffset, long n) {
            MemorySegment target = dst instanceof byte[] array
                    ? MemorySegment.ofArray(array).asSlice(dstOffset, n)
                    : ((MemorySegment) dst).asSlice(dstOffset, n);
            long done = 0;
            while (done < n) {
                done += readSome(offset + done, target.asSlice(done));
            }
        }

        private long readSome(long position, MemorySegment target) {
            try {
                long n = read(position, target);
                if (n <= 0) {
                    throw new IllegalStateException("file segment shrank: no data at " + position);
                }
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Reads up to {@code target.byteSize()} bytes at file {@code position}: the count, 0 at the end. */
        abstract long read(long position, MemorySegment target) throws IOException;

        /** Sends up to {@code count} bytes from file {@code position} to {@code out}: bytes sent, 0 if it is full. */
        abstract long sendTo(WritableStream out, long position, long count, BufferIo io) throws IOException;

        /** A channel on the file, for I/O layers that send with {@link FileChannel#transferTo}. */
        abstract FileChannel channel() throws IOException;
    }

    /** A file range on a caller's {@link FileChannel}, optionally closed when done. */
    static final class File extends FileBacked {
        private final FileChannel channel;
        private final boolean closeWhenDone;

        File(FileChannel channel, boolean closeWhenDone) {
            this.channel = channel;
            this.closeWhenDone = closeWhenDone;
        }

        @Override
        long read(long position, MemorySegment target) throws IOException {
            return Math.max(channel.read(target.asByteBuffer(), position), 0);
        }

        /** transferTo: sendfile(2) for NIO sockets, a copy through the JDK otherwise (the channel hides its fd). */
        @Override
        long sendTo(WritableStream out, long position, long count, BufferIo io) throws IOException {
            return transfer(channel, out, position, count, io);
        }

        @Override
        FileChannel channel() {
            return channel;
        }

        @Override
        void free() {
            if (closeWhenDone) {
                closeChannel(channel);
            }
        }
    }

    /**
     * A file range on a descriptor jevent opened ({@link EvBuffer#addFile(Path, long, long)}),
     * closed when the block is freed. Sent with sendfile(2) to any stream with a descriptor;
     * to a NIO channel through a {@link FileChannel} opened on first need.
     */
    static final class NativeFile extends FileBacked {
        private final int fd;
        private final Path path;
        private FileChannel channel;

        NativeFile(int fd, Path path) {
            this.fd = fd;
            this.path = path;
        }

        @Override
        long read(long position, MemorySegment target) throws IOException {
            return NativeFiles.pread(fd, target, position);
        }

        @Override
        long sendTo(WritableStream out, long position, long count, BufferIo io) throws IOException {
            int outFd = out.fd();
            return outFd >= 0 ? NativeFiles.sendfile(outFd, fd, position, count)
                    : transfer(channel(), out, position, count, io);
        }

        @Override
        synchronized FileChannel channel() throws IOException {
            if (channel == null) {
                channel = FileChannel.open(path, StandardOpenOption.READ);
            }
            return channel;
        }

        @Override
        synchronized void free() {
            try {
                NativeFiles.close(fd);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (channel != null) {
                    closeChannel(channel);
                }
            }
        }
    }

    private static long transfer(FileChannel channel, WritableStream out, long position, long count, BufferIo io)
            throws IOException {
        try {
            return channel.transferTo(position, count, io.channelOf(out));
        } finally {
            io.release();
        }
    }

    private static void closeChannel(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
