package org.jevent.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jevent.net.Net;

/**
 * Native memory each thread reuses for socket calls, so that no call allocates in steady
 * state: a {@code sockaddr_storage} with its length, an option value with its length, the
 * iovec array for readv/writev, and a staging area through which heap memory travels in
 * vectored I/O (an iovec can only point at native memory).
 */
final class ThreadScratch {
    static final long SOCKADDR_STORAGE = 128;
    static final long IOVEC = 16;
    static final long STAGING = 64 * 1024;

    private static final ThreadLocal<ThreadScratch> PER_THREAD = ThreadLocal.withInitial(ThreadScratch::new);

    final MemorySegment sockaddr;
    final MemorySegment sockaddrLen;
    final MemorySegment option;
    final MemorySegment optionLen;
    final MemorySegment iov;
    final MemorySegment staging;

    private ThreadScratch() {
        Arena arena = Arena.ofAuto();
        sockaddr = arena.allocate(SOCKADDR_STORAGE, 8);
        sockaddrLen = arena.allocate(Syscall.INT);
        option = arena.allocate(8, 8);
        optionLen = arena.allocate(Syscall.INT);
        iov = arena.allocate(IOVEC * Net.IOV_MAX, 8);
        staging = arena.allocate(STAGING, 8);
    }

    static ThreadScratch get() {
        return PER_THREAD.get();
    }
}
