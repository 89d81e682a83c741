package org.jevent.internal.linux;

import static org.jevent.internal.linux.Syscall.INT;
import static org.jevent.internal.linux.Syscall.LONG;
import static org.jevent.internal.linux.Syscall.PTR;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.SocketAddress;
import org.jevent.net.Errno;
import org.jevent.net.ErrnoException;

/**
 * The socket system calls: socket, bind, listen, accept4, connect, get/setsockopt,
 * getsockname/getpeername, shutdown, readv/writev, sendto/recvfrom, fcntl. Every descriptor
 * jevent makes is non-blocking, so none of these calls can block and all are linked as
 * critical calls. Addresses and option values travel through {@link ThreadScratch}.
 *
 * <p>Calls that may report EAGAIN follow {@link LibC#read}'s convention (-1 = try later, which
 * includes EINTR); callers retry at once when {@link #interrupted()} says it was EINTR.
 */
public final class SocketCalls {
    public static final int SOL_SOCKET = 1, IPPROTO_TCP = 6, IPPROTO_IPV6 = 41;
    public static final int SO_REUSEADDR = 2, SO_ERROR = 4, SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8,
            SO_KEEPALIVE = 9, SO_LINGER = 13, SO_REUSEPORT = 15, TCP_NODELAY = 1, TCP_DEFER_ACCEPT = 9,
            IPV6_V6ONLY = 26;
    public static final int SHUT_RD = 0, SHUT_WR = 1;
    private static final int F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, FD_CLOEXEC = 1;

    private static final MethodHandle SOCKET = Syscall.function("socket", FunctionDescriptor.of(INT, INT, INT, INT), true);
    private static final MethodHandle BIND = Syscall.function("bind", FunctionDescriptor.of(INT, INT, PTR, INT), true);
    private static final MethodHandle LISTEN = Syscall.function("listen", FunctionDescriptor.of(INT, INT, INT), true);
    private static final MethodHandle ACCEPT4 =
            Syscall.function("accept4", FunctionDescriptor.of(INT, INT, PTR, PTR, INT), true);
    private static final MethodHandle CONNECT = Syscall.function("connect", FunctionDescriptor.of(INT, INT, PTR, INT), true);
    private static final MethodHandle GETSOCKOPT =
            Syscall.function("getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, PTR), true);
    private static final MethodHandle SETSOCKOPT =
            Syscall.function("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT), true);
    private static final MethodHandle GETSOCKNAME =
            Syscall.function("getsockname", FunctionDescriptor.of(INT, INT, PTR, PTR), true);
    private static final MethodHandle GETPEERNAME =
            Syscall.function("getpeername", FunctionDescriptor.of(INT, INT, PTR, PTR), true);
    private static final MethodHandle SHUTDOWN = Syscall.function("shutdown", FunctionDescriptor.of(INT, INT, INT), true);
    private static final MethodHandle READV = Syscall.function("readv", FunctionDescriptor.of(LONG, INT, PTR, INT), true);
    private static final MethodHandle WRITEV = Syscall.function("writev", FunctionDescriptor.of(LONG, INT, PTR, INT), true);
    // One extent goes through read/write, which spare the kernel importing an iovec (what the
    // raw C servers call); the address travels as a long, the same register on LP64, so no
    // segment is made for it.
    private static final MethodHandle READ_AT = Syscall.function("read", FunctionDescriptor.of(LONG, INT, LONG, LONG), true);
    private static final MethodHandle WRITE_AT = Syscall.function("write", FunctionDescriptor.of(LONG, INT, LONG, LONG), true);
    private static final MethodHandle SENDTO =
            Syscall.function("sendto", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, INT), true);
    private static final MethodHandle RECVFROM =
            Syscall.function("recvfrom", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, PTR), true);
    // fcntl is variadic: its third argument must be passed the variadic way.
    private static final MethodHandle FCNTL = Syscall.function("fcntl", FunctionDescriptor.of(INT, INT, INT, INT), true,
            Linker.Option.firstVariadicArg(2));

    private SocketCalls() {}

    /** True when the call that just returned -1 on this thread was interrupted (EINTR). */
    static boolean interrupted() {
        return Syscall.errno(Syscall.state()) == Errno.EINTR;
    }

    /** socket(2), non-blocking and close-on-exec. */
    public static int socket(int family, int type) throws ErrnoException {
        MemorySegment st = Syscall.state();
        int fd;
        try {
            fd = (int) SOCKET.invokeExact(st, family, type | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (fd < 0) throw Syscall.error("socket", st);
        return fd;
    }

    /** bind(2). */
    public static void bind(int fd, SocketAddress local) throws ErrnoException {
        MemorySegment addr = ThreadScratch.get().sockaddr;
        int len = SockAddr.write(local, addr);
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) BIND.invokeExact(st, fd, addr, len);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (rc < 0) throw Syscall.error("bind", st);
    }

    /** listen(2). */
    public static void listen(int fd, int backlog) throws ErrnoException {
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) LISTEN.invokeExact(st, fd, backlog);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (rc < 0) throw Syscall.error("listen", st);
    }

    /** accept4(2) with SOCK_NONBLOCK|SOCK_CLOEXEC: the new descriptor, or -1 when none is pending. */
    public static int accept(int fd) throws ErrnoException {
        MemorySegment st = Syscall.state();
        while (true) {
            int conn;
            try {
                conn = (int) ACCEPT4.invokeExact(st, fd, MemorySegment.NULL, MemorySegment.NULL,
                        LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
            } catch (Throwable t) {
                throw Syscall.rethrow(t);
            }
            if (conn >= 0) return conn;
            // A connection reset while queued is the client's problem; look for the next one.
            if (Syscall.errno(st) == Errno.ECONNABORTED) continue;
            if (LibC.wouldBlock("accept4", st) < 0 && !interrupted()) return -1;
        }
    }

    /**
     * connect(2) on a non-blocking socket: true when connected at once, false when in
     * progress (EINPROGRESS; EINTR, after which the connect also goes on asynchronously).
     * Other failures, including EAGAIN from a full Unix-socket backlog, are thrown.
     */
    public static boolean connect(int fd, SocketAddress remote) throws ErrnoException {
        MemorySegment addr = ThreadScratch.get().sockaddr;
        int len = SockAddr.write(remote, addr);
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) CONNECT.invokeExact(st, fd, addr, len);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (rc == 0) return true;
        int e = Syscall.errno(st);
        if (e == Errno.EINPROGRESS || e == Errno.EINTR) return false;
        throw new ErrnoException("connect", e);
    }

    /** getsockopt(2) of an int-sized option. */
    public static int getInt(int fd, int level, int name) throws ErrnoException {
        ThreadScratch scratch = ThreadScratch.get();
        getOption(fd, level, name, scratch);
        return scratch.option.get(INT, 0);
    }

    /** setsockopt(2) of an int-sized option. */
    public static void setInt(int fd, int level, int name, int value) throws ErrnoException {
        ThreadScratch scratch = ThreadScratch.get();
        scratch.option.set(INT, 0, value);
        setOption(fd, level, name, scratch.option, 4);
    }

    /** SO_LINGER as seconds, negative when off. */
    public static int getLinger(int fd) throws ErrnoException {
        ThreadScratch scratch = ThreadScratch.get();
        getOption(fd, SOL_SOCKET, SO_LINGER, scratch);
        return scratch.option.get(INT, 0) == 0 ? -1 : scratch.option.get(INT, 4);
    }

    /** Sets SO_LINGER ({@code struct linger}): negative seconds turn it off. */
    public static void setLinger(int fd, int seconds) throws ErrnoException {
        ThreadScratch scratch = ThreadScratch.get();
        scratch.option.set(INT, 0, seconds < 0 ? 0 : 1);
        scratch.option.set(INT, 4, Math.max(seconds, 0));
        setOption(fd, SOL_SOCKET, SO_LINGER, scratch.option, 8);
    }

    private static void getOption(int fd, int level, int name, ThreadScratch scratch) throws ErrnoException {
        scratch.option.fill((byte) 0);
        scratch.optionLen.set(INT, 0, (int) scratch.option.byteSize());
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) GETSOCKOPT.invokeExact(st, fd, level, name, scratch.option, scratch.optionLen);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (rc < 0) throw Syscall.error("getsockopt", st);
    }

    private static void setOption(int fd, int level, int name, MemorySegment value, int len) throws ErrnoException {
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) SETSOCKOPT.invokeExact(st, fd, level, name, value, len);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (rc < 0) throw Syscall.error("setsockopt", st);
    }

    /** getsockname(2). */
    public static SocketAddress localAddress(int fd) throws ErrnoException {
        return name(GETSOCKNAME, "getsockname", fd);
    }

    /** getpeername(2); {@code null} when not connected (ENOTCONN). */
    public static SocketAddress peerAddress(int fd) throws ErrnoException {
        return name(GETPEERNAME, "getpeername", fd);
    }

    private static SocketAddress name(MethodHandle call, String callName, int fd) throws ErrnoException {
        ThreadScratch scratch = ThreadScratch.get();
        scratch.sockaddrLen.set(INT, 0, (int) ThreadScratch.SOCKADDR_STORAGE);
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) call.invokeExact(st, fd, scratch.sockaddr, scratch.sockaddrLen);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (rc == 0) return SockAddr.read(scratch.sockaddr, scratch.sockaddrLen.get(INT, 0));
        if (Syscall.errno(st) == Errno.ENOTCONN) return null;
        throw Syscall.error(callName, st);
    }

    /** shutdown(2) with {@link #SHUT_RD} or {@link #SHUT_WR}. */
    public static void shutdown(int fd, int how) throws ErrnoException {
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) SHUTDOWN.invokeExact(st, fd, how);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (rc < 0) throw Syscall.error("shutdown", st);
    }

    /** readv(2) over {@code count} iovecs: bytes read, 0 at end of stream, -1 to try later. */
    static long readv(int fd, MemorySegment iov, int count) throws ErrnoException {
        MemorySegment st = Syscall.state();
        long n;
        try {
            n = (long) READV.invokeExact(st, fd, iov, count);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return n >= 0 ? n : LibC.wouldBlock("readv", st);
    }

    /** read(2) into native memory at {@code address}: bytes read, 0 at end of stream, -1 to try later. */
    static long read(int fd, long address, long length) throws ErrnoException {
        MemorySegment st = Syscall.state();
        long n;
        try {
            n = (long) READ_AT.invokeExact(st, fd, address, length);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return n >= 0 ? n : LibC.wouldBlock("read", st);
    }

    /** write(2) from native memory at {@code address}: bytes written, -1 to try later. */
    static long write(int fd, long address, long length) throws ErrnoException {
        MemorySegment st = Syscall.state();
        long n;
        try {
            n = (long) WRITE_AT.invokeExact(st, fd, address, length);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return n >= 0 ? n : LibC.wouldBlock("write", st);
    }

    /** writev(2) over {@code count} iovecs: bytes written, -1 to try later. */
    static long writev(int fd, MemorySegment iov, int count) throws ErrnoException {
        MemorySegment st = Syscall.state();
        long n;
        try {
            n = (long) WRITEV.invokeExact(st, fd, iov, count);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return n >= 0 ? n : LibC.wouldBlock("writev", st);
    }

    /**
     * sendto(2) of one datagram to {@code target}, or to the connected peer when it is null:
     * bytes sent, -1 to try later.
     */
    static long sendTo(int fd, MemorySegment buf, long len, SocketAddress target) throws ErrnoException {
        MemorySegment addr = MemorySegment.NULL;
        int addrLen = 0;
        if (target != null) {
            addr = ThreadScratch.get().sockaddr;
            addrLen = SockAddr.write(target, addr);
        }
        MemorySegment st = Syscall.state();
        long n;
        try {
            n = (long) SENDTO.invokeExact(st, fd, buf, len, 0, addr, addrLen);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return n >= 0 ? n : LibC.wouldBlock("sendto", st);
    }

    /**
     * recvfrom(2) of one datagram: bytes received (the rest of a longer datagram is dropped),
     * -1 to try later. The sender is left in {@link ThreadScratch#sockaddr} for {@link #sender()}.
     */
    static long receiveFrom(int fd, MemorySegment buf, long len) throws ErrnoException {
        ThreadScratch scratch = ThreadScratch.get();
        scratch.sockaddrLen.set(INT, 0, (int) ThreadScratch.SOCKADDR_STORAGE);
        MemorySegment st = Syscall.state();
        long n;
        try {
            n = (long) RECVFROM.invokeExact(st, fd, buf, len, 0, scratch.sockaddr, scratch.sockaddrLen);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        return n >= 0 ? n : LibC.wouldBlock("recvfrom", st);
    }

    /** The sender of the datagram {@link #receiveFrom} just received on this thread. */
    static SocketAddress sender() {
        ThreadScratch scratch = ThreadScratch.get();
        return SockAddr.read(scratch.sockaddr, scratch.sockaddrLen.get(INT, 0));
    }

    /** Makes an adopted descriptor non-blocking and close-on-exec (fcntl F_SETFL / F_SETFD). */
    public static void adopt(int fd) throws ErrnoException {
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | LibC.O_NONBLOCK);
        fcntl(fd, F_SETFD, fcntl(fd, F_GETFD, 0) | FD_CLOEXEC);
    }

    private static int fcntl(int fd, int cmd, int arg) throws ErrnoException {
        MemorySegment st = Syscall.state();
        int rc;
        try {
            rc = (int) FCNTL.invokeExact(st, fd, cmd, arg);
        } catch (Throwable t) {
            throw Syscall.rethrow(t);
        }
        if (rc < 0) throw Syscall.error("fcntl", st);
        return rc;
    }
}
