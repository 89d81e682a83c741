package org.jevent.internal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.StandardCharsets;

/**
 * Converts between Java socket addresses and {@code sockaddr_in}, {@code sockaddr_in6} and
 * {@code sockaddr_un} (Linux layouts; the port is in network byte order, the family in host
 * order).
 */
final class SockAddr {
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final int IN_LEN = 16, IN6_LEN = 28, UN_PATH = 108;

    private SockAddr() {}

    /** The {@code AF_*} family of {@code address}. */
    static int family(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) return LibC.AF_UNIX;
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            if (ip == null) throw new UnresolvedAddressException();
            return ip instanceof Inet4Address ? LibC.AF_INET : LibC.AF_INET6;
        }
        throw new UnsupportedAddressTypeException();
    }

    /** Writes {@code address} into {@code dst} and returns the length to pass as {@code socklen_t}. */
    static int write(SocketAddress address, MemorySegment dst) {
        int family = family(address);
        dst.fill((byte) 0);
        dst.set(Syscall.SHORT, 0, (short) family);
        if (family == LibC.AF_UNIX) {
            byte[] path = ((UnixDomainSocketAddress) address).getPath().toString().getBytes(StandardCharsets.UTF_8);
            if (path.length >= UN_PATH) throw new IllegalArgumentException("Unix socket path longer than 107 bytes");
            MemorySegment.copy(path, 0, dst, Syscall.BYTE, 2, path.length);
            return 2 + path.length + 1;
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        dst.set(PORT, 2, (short) inet.getPort());
        byte[] ip = inet.getAddress().getAddress();
        if (family == LibC.AF_INET) {
            MemorySegment.copy(ip, 0, dst, Syscall.BYTE, 4, 4);
            return IN_LEN;
        }
        MemorySegment.copy(ip, 0, dst, Syscall.BYTE, 8, 16);
        dst.set(Syscall.INT, 24, ((Inet6Address) inet.getAddress()).getScopeId());
        return IN6_LEN;
    }

    /** Reads the address of length {@code len} that the kernel wrote into {@code src}. */
    static SocketAddress read(MemorySegment src, int len) {
        int family = src.get(Syscall.SHORT, 0);
        try {
            return switch (family) {
                case LibC.AF_INET -> new InetSocketAddress(
                        InetAddress.getByAddress(src.asSlice(4, 4).toArray(Syscall.BYTE)), port(src));
                case LibC.AF_INET6 -> new InetSocketAddress(inet6(src), port(src));
                case LibC.AF_UNIX -> UnixDomainSocketAddress.of(unixPath(src, len));
                default -> throw new UnsupportedAddressTypeException();
            };
        } catch (UnknownHostException e) {
            throw new AssertionError("address of fixed length rejected", e);
        }
    }

    private static int port(MemorySegment src) {
        return Short.toUnsignedInt(src.get(PORT, 2));
    }

    private static InetAddress inet6(MemorySegment src) throws UnknownHostException {
        byte[] ip = src.asSlice(8, 16).toArray(Syscall.BYTE);
        int scope = src.get(Syscall.INT, 24);
        // Without a scope, let InetAddress map ::ffff:a.b.c.d to IPv4 as the JDK's channels do.
        return scope == 0 ? InetAddress.getByAddress(ip) : Inet6Address.getByAddress(null, ip, scope);
    }

    /** The path of a sockaddr_un; "" for an unnamed socket (socketpair, unbound client). */
    private static String unixPath(MemorySegment src, int len) {
        int n = 0;
        while (2 + n < len && src.get(Syscall.BYTE, 2 + n) != 0) n++;
        if (n == 0 && len > 2) throw new UnsupportedAddressTypeException(); // Linux abstract namespace
        return new String(src.asSlice(2, n).toArray(Syscall.BYTE), StandardCharsets.UTF_8);
    }
}
