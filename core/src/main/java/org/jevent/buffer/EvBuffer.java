package org.jevent.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jevent.internal.linux.NativeFiles;
import org.jevent.net.ReadableStream;
import org.jevent.net.WritableStream;

/**
 * A queue of bytes, added at the back and removed from the front ({@code struct evbuffer}).
 *
 * <p>The bytes live in a chain of chunks over off-heap segments from a {@link SegmentPool}.
 * Moving data between buffers ({@link #addBuffer}, {@link #removeBuffer}) relinks chunks
 * instead of copying; {@link #addBufferReference}, {@link #addReference} and
 * {@link #addFile} add bytes without copying them at all. Chunk nodes and segments are
 * recycled, so adding and draining allocate nothing once warmed up, except where a
 * method says otherwise.
 *
 * <p><b>Threads.</b> Not thread-safe unless {@link #enableLocking()} was called before the
 * buffer is shared; then every public method holds a {@link ReentrantLock}, and
 * {@link #lock()} / {@link #unlock()} group several calls ({@code evbuffer_lock}).
 * Operations on two buffers lock both in a fixed order, so they cannot deadlock.
 *
 * <p><b>Positions and views</b> ({@link BufferPosition}, {@link #pullup}, {@link #peek},
 * {@link #reserveSpace}) are valid only until the buffer next changes, as in libevent.
 *
 * <p><b>I/O hooks</b> for a socket layer, which never needs to see chunks:
 * <ul>
 *   <li>writing: {@link #gatherForWrite} fills up to N (address, length) extents from the
 *       front for {@code writev}; then {@link #drain} what was written. A file segment at
 *       the front ends the gather; {@link #frontFileChannel()} and friends describe it for
 *       {@code sendfile}.
 *   <li>reading: {@link #reserveForRead} reserves up to {@link #maxReadSize()} bytes in at
 *       most two extents for {@code readv}; then {@link #commitRead} what was read.
 * </ul>
 * Neither allocates. {@link #readFrom} and {@link #writeTo} do both halves against a
 * jevent stream ({@code evbuffer_read} / {@code evbuffer_write_atmost}).
 */
public final class EvBuffer implements AutoCloseable {
    /** Default for {@link #maxReadSize()}: one large segment (libevent reads 4096 bytes). */
    public static final int DEFAULT_MAX_READ = SegmentPool.DEFAULT_LARGE;
    private static final int MAX_SPARE_CHUNKS = 32;
    private static final byte[] CRLF = {'\r', '\n'};
    /** Orders the locking of two buffers whose identity hashes are equal (see {@link #lockBoth}). */
    private static final ReentrantLock TIE = new ReentrantLock();

    private final SegmentPool pool;
    /** Told of every change first, whatever the callbacks; null for a plain buffer. */
    private final BufferCallback owner;
    private int flags;
    /** Made on the first search: most buffers of a busy server are never searched. */
    private Cursor cursor;

    // The chain. Invariant: empty chunks (space made by expand/reserve) only at the tail.
    private Chunk head;
    private Chunk tail;
    private long length;
    private Chunk spare;
    private int spareCount;

    private ReentrantLock lock;
    private boolean frozenFront;
    private boolean frozenBack;
    private boolean closed;
    private int maxReadSize = DEFAULT_MAX_READ;

    /**
     * The first chunk of the last reservation, the second being its successor; every change
     * sets {@link #reservedCount} to 0, which is how a reservation becomes invalid.
     */
    private Chunk reserved;
    private byte reservedCount;

    /** Made on the first {@link #addCallback}, {@link #suspendCallbacks} or {@link #deferCallbacks}. */
    private CallbackList callbacks;

    /** An empty buffer on the {@link SegmentPool#shared() shared pool} ({@code evbuffer_new}). */
    public EvBuffer() {
        this(SegmentPool.shared());
    }

    /** An empty buffer taking its memory from {@code pool}. */
    public EvBuffer(SegmentPool pool) {
        this(pool, null);
    }

    /**
     * An empty buffer taking its memory from {@code pool}, whose changes {@code owner} hears
     * of first: the bufferevent whose input or output it is (libevent hooks a bufferevent's
     * buffers with internal callbacks and points them back to it as their {@code parent}).
     * The owner is called as a {@linkplain #addCallback callback} would be, but before the
     * callbacks and at once, even while they are suspended or deferred; and it is no entry
     * of the callback list, which a buffer makes only when a callback is added (most
     * buffers of a busy server never get one).
     */
    public EvBuffer(SegmentPool pool, BufferCallback owner) {
        this.pool = pool;
        this.owner = owner;
    }

    // ---------------------------------------------------------------- locking, settings

    /**
     * Makes every public method hold a lock ({@code evbuffer_enable_locking}). Call it
     * before the buffer is visible to other threads. Idempotent.
     */
    public void enableLocking() {
        enableLocking(new ReentrantLock());
    }

    /**
     * Makes every public method hold {@code shared} ({@code evbuffer_enable_locking(buf, lock)}):
     * a bufferevent shares its own lock with its two buffers, so the three never lock in
     * conflicting orders. Does nothing if locking is already enabled.
     */
    public void enableLocking(ReentrantLock shared) {
        if (lock == null) {
            lock = shared;
        }
    }

    /** Takes the lock, if locking is enabled ({@code evbuffer_lock}); reentrant. */
    public void lock() {
        if (lock != null) {
            lock.lock();
        }
    }

    /** Releases the lock taken by {@link #lock()} ({@code evbuffer_unlock}). */
    public void unlock() {
        if (lock != null) {
            lock.unlock();
        }
    }

    private void lockBoth(EvBuffer other) {
        if (other == this) {
            throw new IllegalArgumentException("source and destination are the same buffer");
        }
        if (lock == null && other.lock == null) {
            return;
        }
        // A fixed order (identity hashes, ties through one global lock) so two threads moving
        // data between the same two buffers in opposite directions cannot deadlock.
        int mine = System.identityHashCode(this), theirs = System.identityHashCode(other);
        if (mine == theirs) {
            TIE.lock();
        }
        EvBuffer first = mine < theirs ? this : other;
        first.lock();
        (first == this ? other : this).lock();
    }

    private void unlockBoth(EvBuffer other) {
        other.unlock();
        unlock();
        if (lock != null || other.lock != null) {
            if (System.identityHashCode(this) == System.identityHashCode(other)) {
                TIE.unlock();
            }
        }
    }

    /** The most one {@link #reserveForRead} offers ({@code evbuffer_get_max_read}). */
    public int maxReadSize() {
        return maxReadSize;
    }

    /** Sets {@link #maxReadSize()} ({@code evbuffer_set_max_read}, libevent 2.2). */
    public void setMaxReadSize(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("max read size must be positive: " + bytes);
        }
        lock();
        try {
            maxReadSize = bytes;
        } finally {
            unlock();
        }
    }

    /**
     * {@code EVBUFFER_FLAG_DRAINS_TO_FD}: a promise that bytes leave this buffer only by
     * {@link #writeTo}, {@link #drain} or a whole move, never by being looked at, which lets
     * {@link #addFile(Path, long, long)} keep files as sendfile(2) segments.
     */
    public static final int DRAINS_TO_FD = 1;

    /** {@code evbuffer_set_flags}. */
    public void setFlags(int set) {
        lock();
        try {
            flags |= set;
        } finally {
            unlock();
        }
    }

    /** {@code evbuffer_clear_flags}. */
    public void clearFlags(int clear) {
        lock();
        try {
            flags &= ~clear;
        } finally {
            unlock();
        }
    }

    /** The flags set, e.g. {@link #DRAINS_TO_FD}. */
    public int flags() {
        lock();
        try {
            return flags;
        } finally {
            unlock();
        }
    }

    /**
     * Freezes the front (no drain, remove or prepend) or the back (no add)
     * ({@code evbuffer_freeze}); those operations then throw {@link IllegalStateException}.
     * Bufferevents freeze the end the socket side owns.
     */
    public void freeze(boolean atFront) {
        setFrozen(atFront, true);
    }

    /** Undoes {@link #freeze} ({@code evbuffer_unfreeze}). */
    public void unfreeze(boolean atFront) {
        setFrozen(atFront, false);
    }

    private void setFrozen(boolean atFront, boolean frozen) {
        lock();
        try {
            if (atFront) {
                frozenFront = frozen;
            } else {
                frozenBack = frozen;
            }
        } finally {
            unlock();
        }
    }

    private void checkFront() {
        if (frozenFront) {
            throw new IllegalStateException("the front of the buffer is frozen");
        }
    }

    private void checkBack() {
        checkOpen();
        if (frozenBack) {
            throw new IllegalStateException("the back of the buffer is frozen");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("buffer closed");
        }
    }

    // ---------------------------------------------------------------- size

    /** Bytes stored ({@code evbuffer_get_length}). */
    public long length() {
        lock();
        try {
            return length;
        } finally {
            unlock();
        }
    }

    /**
     * Bytes at the front that are contiguous in memory, i.e. that {@link #pullup} returns
     * without copying ({@code evbuffer_get_contiguous_space}); 0 if the front is a file
     * segment.
     */
    public long contiguousSpace() {
        lock();
        try {
            return head == null || head.block.memory == null ? 0 : head.length();
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- adding

    /** Appends a copy of {@code src} ({@code evbuffer_add}). */
    public void add(byte[] src) {
        add(src, 0, src.length);
    }

    /** Appends a copy of {@code src[off, off + len)} ({@code evbuffer_add}). */
    public void add(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        addCopy(src, off, len);
    }

    /** Appends a copy of {@code src} ({@code evbuffer_add}). */
    public void add(MemorySegment src) {
        addCopy(src, 0, src.byteSize());
    }

    /**
     * Appends a copy of the remaining bytes of {@code src} and advances its position to its
     * limit ({@code evbuffer_add}). A direct buffer is wrapped in a segment view (allocates).
     */
    public void add(ByteBuffer src) {
        int n = src.remaining();
        if (src.hasArray()) {
            addCopy(src.array(), src.arrayOffset() + src.position(), n);
        } else {
            addCopy(MemorySegment.ofBuffer(src), 0, n);
        }
        src.position(src.limit());
    }

    /** Appends {@code s} encoded in {@code charset} (allocates the encoded bytes). */
    public void add(String s, Charset charset) {
        add(s.getBytes(charset));
    }

    /**
     * Appends {@link String#format(Locale, String, Object...)} of {@code format} (root
     * locale) in UTF-8 ({@code evbuffer_add_printf}); returns the bytes added. Allocates
     * the formatted string and its bytes.
     */
    public int addPrintf(String format, Object... args) {
        byte[] bytes = String.format(Locale.ROOT, format, args).getBytes(StandardCharsets.UTF_8);
        add(bytes);
        return bytes.length;
    }

    private void addCopy(Object src, long off, long n) {
        lock();
        try {
            checkBack();
            long orig = length;
            write(src, off, n);
            notifyChange(orig, n, 0);
        } finally {
            unlock();
        }
    }

    /**
     * Appends {@code data} without copying it ({@code evbuffer_add_reference}). The buffer
     * never writes to it. {@code cleanup} (may be null) runs exactly once, when the last of
     * these bytes is drained or moved out and dropped, or when the buffer holding them is
     * closed, possibly on another thread if the bytes were moved or shared. {@code data}
     * must be native memory (an I/O layer hands its address to the kernel).
     */
    public void addReference(MemorySegment data, Runnable cleanup) {
        if (!data.isNative()) {
            throw new IllegalArgumentException("reference data must be native memory");
        }
        lock();
        try {
            checkBack();
            addBlock(new Block.Reference(data, cleanup), 0, data.byteSize());
        } finally {
            unlock();
        }
    }

    /**
     * Appends {@code length} bytes of a file from {@code offset} ({@code evbuffer_add_file};
     * {@code length < 0} means to the end of the file). The bytes are not read now: an I/O
     * layer sends them with sendfile (see {@link #frontFileChannel()}), every other
     * operation reads them through the channel. If {@code closeWhenDone} the channel is
     * closed once these bytes are drained or the buffer is closed (libevent always closes).
     */
    public void addFile(FileChannel channel, long offset, long length, boolean closeWhenDone) {
        long size;
        try {
            size = channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long n = checkRange(size, offset, length);
        lock();
        try {
            checkBack();
            addBlock(new Block.File(channel, closeWhenDone), offset, offset + n);
        } finally {
            unlock();
        }
    }

    /**
     * Appends {@code length} bytes of the file at {@code path} from {@code offset}
     * ({@code evbuffer_add_file}; {@code length < 0}: to the end), the way libevent chooses:
     * <ul>
     *   <li>with {@link #DRAINS_TO_FD} set (socket bufferevents set it on their output), the
     *       file stays a file: opened now, closed once these bytes are drained or the buffer
     *       is closed, sent by {@link #writeTo} with sendfile(2) to native sockets (open(2)
     *       on Linux) or {@link FileChannel#transferTo} elsewhere; anything that looks at
     *       the bytes reads them (pread) as needed;</li>
     *   <li>without it, the range is mapped read-only into memory (libevent's mmap path),
     *       so searching and copying cost no system calls; the mapping goes when the bytes
     *       are drained or the buffer is closed, and no descriptor stays open.</li>
     * </ul>
     */
    public void addFile(Path path, long offset, long length) throws IOException {
        if ((flags & DRAINS_TO_FD) == 0) {
            addMapped(path, offset, length);
            return;
        }
        if (!NativeFiles.available()) {
            addFile(FileChannel.open(path, StandardOpenOption.READ), offset, length, true);
            return;
        }
        int fd = NativeFiles.open(path);
        lock();
        try {
            long n;
            try {
                n = checkRange(NativeFiles.size(fd), offset, length);
                checkBack();
            } catch (IOException | RuntimeException e) {
                NativeFiles.closeQuietly(fd);
                throw e;
            }
            addBlock(new Block.NativeFile(fd, path), offset, offset + n);
        } finally {
            unlock();
        }
    }

    /** The file range as a read-only mapping owned by a reference segment. */
    private void addMapped(Path path, long offset, long length) throws IOException {
        Arena mapping = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long n = checkRange(channel.size(), offset, length);
            if (n == 0) {
                mapping.close();
                return;
            }
            addReference(channel.map(FileChannel.MapMode.READ_ONLY, offset, n, mapping), mapping::close);
        } catch (IOException | RuntimeException e) {
            mapping.close();
            throw e;
        }
    }

    /** The byte count of range {@code offset + length} ({@code length < 0}: to the end) of a file of {@code size}. */
    private static long checkRange(long size, long offset, long length) {
        long n = length < 0 ? size - offset : length;
        if (offset < 0 || n < 0 || offset + n > size) {
            throw new IllegalArgumentException("range " + offset + "+" + n + " outside file of " + size);
        }
        return n;
    }

    /** Takes ownership of a fresh block; an empty one is released (cleaned up) at once. */
    private void addBlock(Block block, long start, long end) {
        block.claim();
        if (end == start) {
            block.release();
            return;
        }
        long orig = length;
        appendChunk(node(block, start, end));
        length += end - start;
        notifyChange(orig, end - start, 0);
    }

    /**
     * Moves all of {@code src} to the end of this buffer, relinking its chunks without
     * copying ({@code evbuffer_add_buffer}). {@code src} ends up empty.
     */
    public void addBuffer(EvBuffer src) {
        lockBoth(src);
        try {
            src.checkFront();
            checkBack();
            long n = src.length;
            if (n > 0) {
                long orig = length;
                src.moveTo(this, n);
                src.notifyChange(n, 0, n);
                notifyChange(orig, n, 0);
            }
        } finally {
            unlockBoth(src);
        }
    }

    /**
     * Appends the bytes of {@code src} without copying or removing them: both buffers share
     * the segments, which are reference-counted and become read-only while shared
     * ({@code evbuffer_add_buffer_reference}). Later changes to {@code src} do not show here.
     */
    public void addBufferReference(EvBuffer src) {
        lockBoth(src);
        try {
            checkBack();
            long orig = length;
            for (Chunk c = src.head; c != null; c = c.next) {
                if (c.length() > 0) {
                    c.block.retain();
                    appendChunk(shared(src, c.block, c.start, c.end));
                }
            }
            length += src.length;
            notifyChange(orig, src.length, 0);
        } finally {
            unlockBoth(src);
        }
    }

    // ---------------------------------------------------------------- prepending

    /** Inserts a copy of {@code src} at the front ({@code evbuffer_prepend}). */
    public void prepend(byte[] src) {
        prepend(src, 0, src.length);
    }

    /** Inserts a copy of {@code src[off, off + len)} at the front ({@code evbuffer_prepend}). */
    public void prepend(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        prependCopy(src, off, len);
    }

    /** Inserts a copy of {@code src} at the front ({@code evbuffer_prepend}). */
    public void prepend(MemorySegment src) {
        prependCopy(src, 0, src.byteSize());
    }

    private void prependCopy(Object src, long off, long n) {
        lock();
        try {
            checkFront();
            checkOpen();
            long orig = length;
            writeFront(src, off, n);
            notifyChange(orig, n, 0);
        } finally {
            unlock();
        }
    }

    /**
     * Moves all of {@code src} to the front of this buffer without copying
     * ({@code evbuffer_prepend_buffer}). {@code src} ends up empty.
     */
    public void prependBuffer(EvBuffer src) {
        lockBoth(src);
        try {
            src.checkFront();
            checkFront();
            checkOpen();
            long n = src.length;
            if (n > 0) {
                long orig = length;
                if (src.tail.length() == 0) {
                    src.dropEmptyTail(); // src's spare space must not land mid-chain here
                }
                src.tail.next = head;
                head = src.head;
                if (tail == null) {
                    tail = src.tail;
                }
                length += n;
                src.head = src.tail = null;
                src.length = 0;
                src.notifyChange(n, 0, n);
                notifyChange(orig, n, 0);
            }
        } finally {
            unlockBoth(src);
        }
    }

    // ---------------------------------------------------------------- removing

    /** Discards up to {@code len} bytes from the front ({@code evbuffer_drain}). */
    public void drain(long len) {
        if (len < 0) {
            throw new IllegalArgumentException("negative length: " + len);
        }
        lock();
        try {
            checkFront();
            long n = Math.min(len, length);
            long orig = length;
            drainChunks(n);
            notifyChange(orig, 0, n);
        } finally {
            unlock();
        }
    }

    /** Copies up to {@code len} bytes from the front into {@code dst} and drains them ({@code evbuffer_remove}); returns the count. */
    public int remove(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        return (int) removeCopy(dst, off, len);
    }

    /** {@link #remove(byte[], int, int)} into all of {@code dst}. */
    public int remove(byte[] dst) {
        return remove(dst, 0, dst.length);
    }

    /** Copies up to {@code dst.byteSize()} bytes from the front into {@code dst} and drains them; returns the count. */
    public long remove(MemorySegment dst) {
        return removeCopy(dst, 0, dst.byteSize());
    }

    /**
     * Copies up to {@code dst.remaining()} bytes from the front into {@code dst}, advancing
     * its position, and drains them ({@code evbuffer_remove}); returns the count. A direct
     * buffer is wrapped in a segment view (allocates).
     */
    public int remove(ByteBuffer dst) {
        int n = dst.hasArray()
                ? (int) removeCopy(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining())
                : (int) removeCopy(MemorySegment.ofBuffer(dst), 0, dst.remaining());
        dst.position(dst.position() + n);
        return n;
    }

    private long removeCopy(Object dst, long off, long len) {
        lock();
        try {
            checkFront();
            long orig = length;
            long n = readAt(0, dst, off, len);
            drainChunks(n);
            notifyChange(orig, 0, n);
            return n;
        } finally {
            unlock();
        }
    }

    /**
     * Moves up to {@code len} bytes from the front of this buffer to the end of {@code dst}
     * ({@code evbuffer_remove_buffer}); returns the count. Whole chunks are relinked; a
     * chunk cut in two is shared by both buffers (no copy) until one side drains it.
     */
    public long removeBuffer(EvBuffer dst, long len) {
        if (len < 0) {
            throw new IllegalArgumentException("negative length: " + len);
        }
        lockBoth(dst);
        try {
            checkFront();
            dst.checkBack();
            long n = Math.min(len, length);
            if (n > 0) {
                long orig = length;
                long dstOrig = dst.length;
                moveTo(dst, n);
                notifyChange(orig, 0, n);
                dst.notifyChange(dstOrig, n, 0);
            }
            return n;
        } finally {
            unlockBoth(dst);
        }
    }

    // ---------------------------------------------------------------- reading in place

    /** Copies up to {@code len} bytes from the front without draining ({@code evbuffer_copyout}); returns the count. */
    public int copyout(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        return (int) copyoutAt(0, dst, off, len);
    }

    /** Copies up to {@code dst.byteSize()} bytes from the front without draining; returns the count. */
    public long copyout(MemorySegment dst) {
        return copyoutAt(0, dst, 0, dst.byteSize());
    }

    /**
     * Copies up to {@code len} bytes starting at {@code pos} without draining
     * ({@code evbuffer_copyout_from}); returns the count (0 at the end).
     *
     * @throws IllegalArgumentException if {@code pos} is -1 or past the end
     */
    public int copyoutFrom(BufferPosition pos, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        return (int) copyoutAt(pos.position, dst, off, len);
    }

    /** {@link #copyoutFrom(BufferPosition, byte[], int, int)} into a segment. */
    public long copyoutFrom(BufferPosition pos, MemorySegment dst) {
        return copyoutAt(pos.position, dst, 0, dst.byteSize());
    }

    private long copyoutAt(long from, Object dst, long off, long len) {
        lock();
        try {
            checkPosition(from);
            return readAt(from, dst, off, len);
        } finally {
            unlock();
        }
    }

    private void checkPosition(long pos) {
        if (pos < 0 || pos > length) {
            throw new IllegalArgumentException("position " + pos + " outside 0.." + length);
        }
    }

    /**
     * Makes the first {@code len} bytes contiguous and returns them ({@code evbuffer_pullup});
     * {@code len < 0} means all. Returns {@code null} if the buffer holds fewer bytes. Copies
     * only if they span chunks (or start in a file segment), growing the first chunk in place
     * when it can; the view allocates a segment object.
     */
    public MemorySegment pullup(long len) {
        lock();
        try {
            long n = len < 0 ? length : len;
            if (n > length) {
                return null;
            }
            if (n == 0) {
                return MemorySegment.NULL;
            }
            Chunk h = head;
            if (h.length() < n || h.block.memory == null) {
                reservedCount = 0; // the chain changes: a reservation is invalid
                long kept = h.block.memory != null && h.block.writable() && h.block.capacity() - h.start >= n
                        ? h.length() : 0;
                Chunk front;
                if (kept > 0) { // grow the first chunk: pull the rest in after its data
                    readAt(kept, h.block.memory, h.end, n - kept);
                    head = h.next;
                    length -= kept;
                    front = h;
                } else {
                    front = fresh(n);
                    readAt(0, front.block.memory, 0, n);
                }
                drainChunks(n - kept);
                front.end += n - kept;
                front.next = head;
                head = front;
                if (tail == null) {
                    tail = front;
                }
                length += n;
                h = front;
            }
            return h.block.memory.asSlice(h.start, n);
        } finally {
            unlock();
        }
    }

    /**
     * Describes up to {@code len} bytes from {@code start} (null: the front; {@code len < 0}:
     * all) as extents in {@code out}, without copying ({@code evbuffer_peek}). Returns how
     * many extents cover them, which may exceed {@code out.capacity()} (then only the first
     * ones are filled). Unlike libevent the last extent is trimmed to exactly {@code len}.
     * Stops before a file segment, which has no memory to show. Allocates nothing.
     */
    public int peek(long len, BufferPosition start, BufferVectors out) {
        lock();
        try {
            long from = start == null ? 0 : start.position;
            checkPosition(from);
            long want = len < 0 ? length - from : Math.min(len, length - from);
            out.clear();
            Chunk c = head;
            long skip = from;
            while (c != null && skip >= c.length()) {
                skip -= c.length();
                c = c.next;
            }
            int needed = 0;
            long covered = 0;
            for (; c != null && covered < want && c.block.memory != null; c = c.next, skip = 0) {
                long k = Math.min(c.length() - skip, want - covered);
                if (k > 0) {
                    if (needed < out.capacity()) {
                        out.add(c.block.memory, c.start + skip, k);
                    }
                    needed++;
                    covered += k;
                }
            }
            return needed;
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- space

    /**
     * Makes sure the next {@code len} bytes added fit in one chunk without allocating
     * ({@code evbuffer_expand}).
     */
    public void expand(long len) {
        lock();
        try {
            if (tail == null || tail.spaceAfter() < len) {
                checkOpen();
                reservedCount = 0; // the chain changes: a reservation is invalid
                appendFresh(len);
            }
        } finally {
            unlock();
        }
    }

    /**
     * Reserves at least {@code size} bytes of writable space at the end in at most
     * {@code vectors} (1 or 2) extents, filled into {@code out} ({@code evbuffer_reserve_space});
     * returns the number of extents. Each extent is all the free space of its chunk, so it
     * may exceed what was asked. Write into them, shrink with
     * {@link BufferVectors#setLength} if fewer bytes were written, then
     * {@link #commitSpace}. Any other change to the buffer in between cancels the
     * reservation.
     */
    public int reserveSpace(long size, int vectors, BufferVectors out) {
        if (size <= 0 || vectors < 1 || vectors > 2 || out.capacity() < vectors) {
            throw new IllegalArgumentException("size " + size + " in " + vectors
                    + " vectors (1 or 2, within capacity " + out.capacity() + ")");
        }
        lock();
        try {
            checkBack();
            out.clear();
            reservedCount = 0;
            long room = tail == null ? 0 : tail.spaceAfter();
            if (vectors == 2 && room > 0) {
                reserve(tail, out);
            }
            if (room < size) {
                if (vectors == 1) {
                    appendFresh(size);
                } else { // keep the tail: it holds the first extent
                    appendChunk(fresh(size - room));
                }
                reserve(tail, out);
            } else if (vectors == 1) {
                reserve(tail, out);
            }
            return out.count;
        } finally {
            unlock();
        }
    }

    private void reserve(Chunk c, BufferVectors out) {
        if (reservedCount++ == 0) {
            reserved = c;
        }
        out.add(c.block.memory, c.end, c.block.capacity() - c.end);
    }

    /**
     * Adds the bytes written into the extents of the last {@link #reserveSpace}
     * ({@code evbuffer_commit_space}): {@code vecs.count()} extents (the first ones reserved,
     * possibly fewer), each with its possibly shrunk length.
     *
     * @throws IllegalStateException if the buffer changed since the reservation
     * @throws IllegalArgumentException if the extents are not the reserved ones
     */
    public void commitSpace(BufferVectors vecs) {
        lock();
        try {
            checkReservation(vecs.count);
            Chunk c = reserved;
            for (int i = 0; i < vecs.count; i++, c = c.next) {
                if (vecs.rawBase(i) != c.block.memory || vecs.rawOffset(i) != c.end
                        || vecs.rawLength(i) > c.block.capacity() - c.end) {
                    throw new IllegalArgumentException("extent " + i + " was not reserved here");
                }
            }
            long orig = length;
            c = reserved;
            for (int i = 0; i < vecs.count; i++, c = c.next) {
                commitInto(c, vecs.rawLength(i));
            }
            finishCommit(orig);
        } finally {
            unlock();
        }
    }

    private void checkReservation(int extents) {
        checkBack();
        if (reservedCount == 0 || extents > reservedCount) {
            throw new IllegalStateException("no valid reservation of " + extents + " extents");
        }
    }

    private void commitInto(Chunk c, long n) {
        c.end += n;
        length += n;
    }

    private void finishCommit(long orig) {
        if (reservedCount == 2 && reserved.length() == 0 && reserved.next.length() > 0) {
            unlink(reserved); // keep empty chunks at the tail only
        }
        reservedCount = 0;
        notifyChange(orig, length - orig, 0);
    }

    // ---------------------------------------------------------------- I/O hooks

    /**
     * I/O hook for writing: fills {@code out} with up to {@code out.capacity()} extents from
     * the front, totalling at most {@code maxBytes}, for {@code writev}; returns their total
     * length. Stops before a file segment (see {@link #frontFileChannel()}). After the
     * write, {@link #drain} the bytes written. Allocates nothing.
     */
    public long gatherForWrite(BufferVectors out, long maxBytes) {
        lock();
        try {
            out.clear();
            long total = 0;
            for (Chunk c = head; c != null && out.count < out.capacity() && total < maxBytes
                    && c.block.memory != null; c = c.next) {
                long k = Math.min(c.length(), maxBytes - total);
                if (k > 0) {
                    out.add(c.block.memory, c.start, k);
                    total += k;
                }
            }
            return total;
        } finally {
            unlock();
        }
    }

    /**
     * I/O hook for writing: the channel of the file segment at the front, or null if the
     * front is memory (or the buffer is empty). Send {@link #frontFileLength()} bytes from
     * {@link #frontFilePosition()}, then {@link #drain} what was sent.
     */
    public FileChannel frontFileChannel() {
        lock();
        try {
            return head != null && head.block instanceof Block.FileBacked f ? f.channel() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            unlock();
        }
    }

    /** File position of the front file segment's first unsent byte (see {@link #frontFileChannel()}). */
    public long frontFilePosition() {
        lock();
        try {
            return frontFile().start;
        } finally {
            unlock();
        }
    }

    /** Unsent bytes of the front file segment (see {@link #frontFileChannel()}). */
    public long frontFileLength() {
        lock();
        try {
            return frontFile().length();
        } finally {
            unlock();
        }
    }

    private Chunk frontFile() {
        if (head == null || !(head.block instanceof Block.FileBacked)) {
            throw new IllegalStateException("the front is not a file segment");
        }
        return head;
    }

    /**
     * I/O hook for reading: reserves {@code min(hint, maxReadSize())} bytes ({@code hint <= 0}:
     * {@link #maxReadSize()}) in at most two extents ({@code out.capacity() >= 2}), filling
     * the current last chunk before a fresh one, for {@code readv}; returns the extent count.
     * Then {@link #commitRead} the bytes read.
     */
    public int reserveForRead(long hint, BufferVectors out) {
        long size = hint <= 0 ? maxReadSize : Math.min(hint, maxReadSize);
        return reserveSpace(size, 2, out);
    }

    /**
     * I/O hook for reading: commits {@code n} bytes read into the extents of the last
     * {@link #reserveForRead} (or {@link #reserveSpace}), filling them in order.
     */
    public void commitRead(long n) {
        lock();
        try {
            checkReservation(0);
            long space = 0;
            Chunk c = reserved;
            for (int i = 0; i < reservedCount; i++, c = c.next) {
                space += c.block.capacity() - c.end;
            }
            if (n < 0 || n > space) {
                throw new IllegalArgumentException(n + " bytes outside the reservation of " + space);
            }
            long orig = length;
            long rest = n;
            c = reserved;
            for (int i = 0; i < reservedCount; i++, c = c.next) {
                long k = Math.min(rest, c.block.capacity() - c.end);
                commitInto(c, k);
                rest -= k;
            }
            finishCommit(orig);
        } finally {
            unlock();
        }
    }

    /**
     * Reads from {@code in} into at most two reserved extents, {@code min(max, maxReadSize())}
     * bytes at most ({@code max <= 0}: {@link #maxReadSize()}), with one {@code readv}
     * ({@code evbuffer_read}). Returns the bytes added, 0 when nothing was available now,
     * -1 at end of stream. Allocates nothing.
     */
    public long readFrom(ReadableStream in, long max) throws IOException {
        lock();
        try {
            BufferVectors v = BufferIo.get().read;
            Chunk last = tail;
            reserveForRead(max, v);
            // The extents are whole free spaces; trim them so at most the asked size is read.
            long rest = max <= 0 ? maxReadSize : Math.min(max, maxReadSize);
            for (int i = 0; i < v.count; i++) {
                v.lengths[i] = Math.min(v.lengths[i], rest);
                rest -= v.lengths[i];
            }
            long n = in.read(v);
            if (n > 0) {
                commitRead(n);
            } else if (tail != last) { // nothing came: an idle buffer keeps no segment
                truncateAfter(last);
                reservedCount = 0;
                reserved = null;
            }
            return n;
        } finally {
            unlock();
        }
    }

    /** {@link #readFrom(ReadableStream, long)} of up to {@link #maxReadSize()} bytes. */
    public long readFrom(ReadableStream in) throws IOException {
        return readFrom(in, 0);
    }

    /**
     * Writes up to {@code max} bytes from the front to {@code out} ({@code max < 0}: all) with
     * one system call, and drains what was written ({@code evbuffer_write_atmost}). Memory is
     * gathered into one {@code writev} of at most {@link org.jevent.net.Net#IOV_MAX} extents,
     * stopping before a file segment; a file segment at the front is sent on its own: one
     * added by {@link #addFile(Path, long, long)} with sendfile(2) to a stream with a
     * descriptor (native sockets and pipes), else with {@link FileChannel#transferTo}, which
     * is sendfile(2) for NIO sockets and a copy through the JDK's buffer otherwise.
     * Returns the bytes written, 0 when {@code out} cannot take any now. Allocates nothing
     * for memory.
     */
    public long writeTo(WritableStream out, long max) throws IOException {
        lock();
        try {
            checkFront();
            long limit = max < 0 ? length : Math.min(max, length);
            if (limit == 0) {
                return 0;
            }
            BufferIo io = BufferIo.get();
            long n;
            if (head.block instanceof Block.FileBacked f) {
                n = f.sendTo(out, head.start, Math.min(limit, head.length()), io);
            } else {
                gatherForWrite(io.write, limit);
                n = out.write(io.write);
            }
            if (n > 0) {
                drain(n);
            }
            return n;
        } finally {
            unlock();
        }
    }

    /** {@link #writeTo(WritableStream, long)} of everything it can. */
    public long writeTo(WritableStream out) throws IOException {
        return writeTo(out, -1);
    }

    // ---------------------------------------------------------------- positions, search

    /**
     * Moves {@code pos} to {@code offset} ({@link BufferPosition.How#SET}) or forward by it
     * ({@link BufferPosition.How#ADD}) ({@code evbuffer_ptr_set}). The end of the buffer is
     * a valid position. Returns false, and sets {@code pos} to -1, if the result would be
     * past the end, {@code offset} is negative or {@code pos} was already -1 for ADD.
     */
    public boolean ptrSet(BufferPosition pos, long offset, BufferPosition.How how) {
        lock();
        try {
            long target = how == BufferPosition.How.SET ? offset : pos.position + offset;
            if (offset < 0 || (how == BufferPosition.How.ADD && pos.position < 0) || target > length) {
                pos.position = -1;
                return false;
            }
            pos.position = target;
            return true;
        } finally {
            unlock();
        }
    }

    /**
     * Position of the first occurrence of {@code what} at or after {@code start} (null: the
     * front), or -1 ({@code evbuffer_search}). Matches may span chunks. An empty
     * {@code what} matches at {@code start}.
     */
    public long search(byte[] what, BufferPosition start) {
        return searchRange(what, start, null);
    }

    /**
     * Like {@link #search} but the whole match must end at or before {@code end} (null: the
     * end of the buffer) ({@code evbuffer_search_range}).
     */
    public long searchRange(byte[] what, BufferPosition start, BufferPosition end) {
        lock();
        try {
            long from = start == null ? 0 : start.position;
            checkPosition(from);
            long limit = end == null ? length : Math.min(end.position, length);
            return find(what, from, limit);
        } finally {
            unlock();
        }
    }

    private long find(byte[] what, long from, long limit) {
        if (from + what.length > limit) {
            return -1;
        }
        if (what.length == 0) {
            return from;
        }
        Cursor cursor = cursor();
        cursor.seek(head, from);
        while (cursor.find(what[0], what[0], limit - what.length + 1)) {
            if (cursor.matches(what)) {
                return cursor.position;
            }
            cursor.advance();
        }
        return -1;
    }

    /**
     * Position of the first end of line in {@code style} at or after {@code start} (null:
     * the front), or -1 ({@code evbuffer_search_eol}). If {@code eolEnd} is not null it is
     * set to the position just after that end of line (so the EOL length is
     * {@code eolEnd.position() - result}), or -1.
     */
    public long searchEol(BufferPosition start, EolStyle style, BufferPosition eolEnd) {
        lock();
        try {
            long from = start == null ? 0 : start.position;
            checkPosition(from);
            long p = findEol(from, style);
            if (eolEnd != null) {
                eolEnd.position = p < 0 ? -1 : p + cursor.eolLength;
            }
            return p;
        } finally {
            unlock();
        }
    }

    /** Finds an EOL from {@code from}; sets the cursor's {@code eolLength}. Semantics as libevent's. */
    private long findEol(long from, EolStyle style) {
        Cursor cursor = cursor();
        cursor.seek(head, from);
        switch (style) {
            case LF -> {
                cursor.eolLength = 1;
                return cursor.find((byte) '\n', (byte) '\n', length) ? cursor.position : -1;
            }
            case NUL -> {
                cursor.eolLength = 1;
                return cursor.find((byte) 0, (byte) 0, length) ? cursor.position : -1;
            }
            case CRLF_STRICT -> {
                cursor.eolLength = 2;
                return find(CRLF, from, length);
            }
            case CRLF -> {
                while (cursor.find((byte) '\r', (byte) '\n', length)) {
                    long p = cursor.position;
                    boolean cr = cursor.get() == '\r';
                    cursor.advance();
                    if (!cr) {
                        cursor.eolLength = 1;
                        return p;
                    }
                    if (!cursor.atEnd() && cursor.get() == '\n') {
                        cursor.eolLength = 2;
                        return p;
                    }
                    // a lone CR is line data
                }
                return -1;
            }
            case ANY -> {
                if (!cursor.find((byte) '\r', (byte) '\n', length)) {
                    return -1;
                }
                long p = cursor.position;
                int n = 0;
                while (!cursor.atEnd() && (cursor.get() == '\r' || cursor.get() == '\n')) {
                    n++;
                    cursor.advance();
                }
                cursor.eolLength = n;
                return p;
            }
        }
        throw new AssertionError(style);
    }

    /**
     * Removes one line ended in {@code style} and returns it decoded as UTF-8 without its
     * EOL, or null if no complete line is buffered ({@code evbuffer_readln}). Allocates the
     * string; see {@link #readLine(EolStyle, EvBuffer)} to avoid that.
     */
    public String readLine(EolStyle style) {
        return readLine(style, StandardCharsets.UTF_8);
    }

    /** {@link #readLine(EolStyle)} decoded with {@code charset}. */
    public String readLine(EolStyle style, Charset charset) {
        lock();
        try {
            checkFront();
            long p = findEol(0, style);
            if (p < 0) {
                return null;
            }
            byte[] line = new byte[Math.toIntExact(p)];
            readAt(0, line, 0, p);
            long orig = length;
            drainChunks(p + cursor.eolLength);
            notifyChange(orig, 0, p + cursor.eolLength);
            return new String(line, charset);
        } finally {
            unlock();
        }
    }

    /**
     * Moves one line ended in {@code style} to the end of {@code dst} (without copying, as
     * {@link #removeBuffer}) and drains its EOL; returns the line length, or -1 if no
     * complete line is buffered. Allocates nothing.
     */
    public long readLine(EolStyle style, EvBuffer dst) {
        lockBoth(dst);
        try {
            checkFront();
            dst.checkBack();
            long p = findEol(0, style);
            if (p < 0) {
                return -1;
            }
            long eol = cursor.eolLength;
            long orig = length;
            long dstOrig = dst.length;
            if (p > 0) {
                moveTo(dst, p);
            }
            drainChunks(eol);
            notifyChange(orig, 0, p + eol);
            dst.notifyChange(dstOrig, p, 0);
            return p;
        } finally {
            unlockBoth(dst);
        }
    }

    // ---------------------------------------------------------------- callbacks

    /** Registers {@code callback}, enabled ({@code evbuffer_add_cb}). */
    public BufferCallbackEntry addCallback(BufferCallback callback) {
        lock();
        try {
            return callbacks().add(callback);
        } finally {
            unlock();
        }
    }

    /**
     * Unregisters an entry ({@code evbuffer_remove_cb_entry}); it is not called again, even
     * when removed by a callback that runs before it in the same notification.
     */
    public void removeCallback(BufferCallbackEntry entry) {
        lock();
        try {
            if (callbacks != null) callbacks.remove(entry);
        } finally {
            unlock();
        }
    }

    /**
     * Enables or disables an entry ({@code evbuffer_cb_set_flags} / {@code clear_flags} with
     * {@code EVBUFFER_CB_ENABLED}); a disabled entry misses changes, it does not queue them.
     */
    public void setCallbackEnabled(BufferCallbackEntry entry, boolean enabled) {
        lock();
        try {
            entry.enabled = enabled;
        } finally {
            unlock();
        }
    }

    /**
     * Holds back callbacks: changes are summed and reported as one call by the matching
     * {@link #unsuspendCallbacks()} (libevent's internal {@code evbuffer_cb_suspend}).
     * Nests.
     */
    public void suspendCallbacks() {
        lock();
        try {
            callbacks().suspend();
        } finally {
            unlock();
        }
    }

    /**
     * {@code evbuffer_defer_callbacks}: from now on callbacks run from {@code base}'s loop,
     * not inside the call that changed the buffer; the changes made meanwhile are summed into
     * one report (original size of the first, total added, total deleted). Use it when the
     * buffer is changed from several threads, or when a callback must not run re-entrantly.
     */
    public void deferCallbacks(org.jevent.EventBase base) {
        lock();
        try {
            callbacks().defer(base, this);
        } finally {
            unlock();
        }
    }

    /** Ends one {@link #suspendCallbacks()}; the last one reports what accumulated. */
    public void unsuspendCallbacks() {
        lock();
        try {
            callbacks().unsuspend(this);
        } finally {
            unlock();
        }
    }

    private CallbackList callbacks() {
        if (callbacks == null) callbacks = new CallbackList();
        return callbacks;
    }

    private Cursor cursor() {
        if (cursor == null) cursor = new Cursor();
        return cursor;
    }

    /** Records a change: cancels reservations and runs or queues callbacks. */
    private void notifyChange(long orig, long added, long deleted) {
        reservedCount = 0;
        reserved = null; // no stale link to a node that may have moved on with its block
        if (added == 0 && deleted == 0) {
            return; // no change to report
        }
        if (owner != null) owner.changed(this, orig, added, deleted);
        if (callbacks != null) callbacks.changed(this, orig, added, deleted);
    }

    // ---------------------------------------------------------------- close

    /**
     * Releases every segment, runs pending reference cleanups and closes owned file channels
     * ({@code evbuffer_free}); callbacks are not told. Later additions throw
     * {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (callbacks != null) callbacks.close();
            reservedCount = 0;
            reserved = null;
            length = 0;
            Chunk c = head;
            head = tail = null;
            releaseAll(c);
            spare = null;
            spareCount = 0;
        } finally {
            unlock();
        }
    }

    @Override
    public String toString() {
        return "EvBuffer[length=" + length + "]";
    }

    // ---------------------------------------------------------------- chain primitives
    // These neither lock, nor check freezing, nor notify: the public methods do.

    private Chunk node(Block block, long start, long end) {
        Chunk c = spare;
        if (c != null) {
            spare = c.next;
            spareCount--;
        } else {
            c = new Chunk();
        }
        c.block = block;
        c.start = start;
        c.end = end;
        c.next = null;
        return c;
    }

    /** An empty node over a fresh segment of at least {@code minCapacity} bytes: the node the segment brought along, if any. */
    private Chunk fresh(long minCapacity) {
        Block block = pool.acquire(minCapacity);
        Chunk c = block.takeNode();
        if (c == null) {
            return node(block, 0, 0);
        }
        c.block = block;
        c.start = c.end = 0;
        return c;
    }

    /**
     * A node over {@code block}, which this buffer now shares with {@code other}: a spare of
     * either buffer (whichever of the two releases its share first gets a spare back, the
     * other's node travels on with the block), else a new one.
     */
    private Chunk shared(EvBuffer other, Block block, long start, long end) {
        return (spare == null && other.spare != null ? other : this).node(block, start, end);
    }

    /**
     * Lets go of {@code c} (unlinked). The chunk holding a pooled block's last reference
     * goes back to the pool with the block; any other is kept as a spare for shared blocks
     * (a few at most) or left to the collector.
     */
    private void recycle(Chunk c) {
        Block block = c.block;
        c.block = null;
        c.next = null;
        if (!block.release(c) && spareCount < MAX_SPARE_CHUNKS) {
            c.next = spare;
            spare = c;
            spareCount++;
        }
    }

    /** Recycles {@code c} and all after it (already unlinked), releasing every block even if a cleanup throws. */
    private void releaseAll(Chunk c) {
        while (c != null) {
            Chunk next = c.next;
            try {
                recycle(c);
            } finally {
                c = next;
            }
        }
    }

    /** Appends an empty chunk with room for at least {@code len} bytes. */
    private void appendFresh(long len) {
        if (tail != null && tail.length() == 0) {
            dropEmptyTail(); // too small, or we would not be here
        }
        appendChunk(fresh(len));
    }

    private void appendChunk(Chunk c) {
        if (tail != null && tail.length() == 0 && c.length() > 0) {
            dropEmptyTail();
        }
        if (tail == null) {
            head = c;
        } else {
            tail.next = c;
        }
        tail = c;
    }

    /** Releases the empty chunks at the tail (rare, so a walk is fine). */
    private void dropEmptyTail() {
        Chunk last = null;
        for (Chunk c = head; c != null; c = c.next) {
            if (c.length() > 0) {
                last = c;
            }
        }
        truncateAfter(last);
    }

    /** Releases every chunk after {@code last} (null: all of them), which becomes the tail. */
    private void truncateAfter(Chunk last) {
        Chunk rest = last == null ? head : last.next;
        if (last == null) {
            head = null;
        } else {
            last.next = null;
        }
        tail = last;
        releaseAll(rest);
    }

    /** Unlinks and recycles {@code victim} (rare, so a walk is fine). */
    private void unlink(Chunk victim) {
        Chunk prev = null;
        for (Chunk c = head; c != victim; c = c.next) {
            prev = c;
        }
        if (prev == null) {
            head = victim.next;
        } else {
            prev.next = victim.next;
        }
        if (tail == victim) {
            tail = prev;
        }
        recycle(victim);
    }

    /** The segment size for streaming {@code n} more bytes: large for bulk, small otherwise. */
    private long streamSize(long n) {
        return n >= pool.largeSize() / 2 ? pool.largeSize() : pool.smallSize();
    }

    /** Appends {@code n} bytes of {@code src} (byte[] or MemorySegment). */
    private void write(Object src, long off, long n) {
        while (n > 0) {
            Chunk t = tail;
            long room = t == null ? 0 : t.spaceAfter();
            if (room == 0) {
                t = fresh(streamSize(n));
                appendChunk(t);
                room = t.block.capacity();
            }
            long k = Math.min(room, n);
            Bytes.copy(src, off, t.block.memory, t.end, k);
            t.end += k;
            off += k;
            n -= k;
            length += k;
        }
    }

    /** Inserts {@code n} bytes of {@code src} at the front, filling free space backwards. */
    private void writeFront(Object src, long off, long n) {
        while (n > 0) {
            Chunk h = head;
            if (h != null && h.length() == 0 && h.block.writable()) {
                h.start = h.end = h.block.capacity(); // empty: all its room is in front
            }
            long room = h == null ? 0 : h.spaceBefore();
            if (room == 0) {
                h = fresh(streamSize(n));
                h.start = h.end = h.block.capacity();
                h.next = head;
                head = h;
                if (tail == null) {
                    tail = h;
                }
                room = h.start;
            }
            long k = Math.min(room, n);
            Bytes.copy(src, off + n - k, h.block.memory, h.start - k, k);
            h.start -= k;
            n -= k;
            length += k;
        }
    }

    /** Copies up to {@code n} bytes from position {@code from} into {@code dst}; returns the count. */
    private long readAt(long from, Object dst, long dstOff, long n) {
        long count = Math.min(n, length - from);
        Chunk c = head;
        long skip = from;
        while (c != null && skip >= c.length()) {
            skip -= c.length();
            c = c.next;
        }
        for (long done = 0; done < count; c = c.next, skip = 0) {
            long k = Math.min(c.length() - skip, count - done);
            c.block.copyTo(c.start + skip, dst, dstOff + done, k);
            done += k;
        }
        return Math.max(count, 0);
    }

    /** Removes {@code n <= length} bytes from the front. */
    private void drainChunks(long n) {
        if (n == length) {
            Chunk c = head;
            head = tail = null;
            length = 0;
            releaseAll(c);
            return;
        }
        length -= n;
        while (n > 0) {
            Chunk c = head;
            long len = c.length();
            if (len <= n) {
                n -= len;
                head = c.next;
                recycle(c);
            } else {
                c.start += n;
                n = 0;
            }
        }
    }

    /**
     * Moves {@code 0 < n <= length} bytes from the front to the end of {@code dst}. In a relay
     * (input moved to output, output drained) the nodes go back to the pool with their
     * segments, so they pile up in neither buffer.
     */
    private void moveTo(EvBuffer dst, long n) {
        Chunk first;
        Chunk last;
        if (n == length) {
            first = head;
            last = tail;
            head = tail = null;
        } else {
            first = last = null;
            long moved = 0;
            while (moved < n) {
                Chunk c = head;
                Chunk out;
                if (c.length() <= n - moved) {
                    head = c.next;
                    c.next = null;
                    out = c;
                } else { // cut: both halves share the block
                    c.block.retain();
                    out = dst.shared(this, c.block, c.start, c.start + (n - moved));
                    c.start = out.end;
                }
                moved += out.length();
                if (first == null) {
                    first = out;
                } else {
                    last.next = out;
                }
                last = out;
            }
        }
        length -= n;
        if (dst.tail != null && dst.tail.length() == 0) {
            dst.dropEmptyTail();
        }
        if (dst.tail == null) {
            dst.head = first;
        } else {
            dst.tail.next = first;
        }
        dst.tail = last;
        dst.length += n;
    }
}
