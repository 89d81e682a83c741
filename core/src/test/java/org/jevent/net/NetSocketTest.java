package org.jevent.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jevent.internal.linux.LibC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One behaviour suite for both {@link Net} implementations: every test runs as
 * {@code [native]} and {@code [nio]}, and every test must leave the process with the
 * descriptors it found.
 */
class NetSocketTest {

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("org.jevent.net.NetSocketTest#nets")
    @interface EachNet {}

    static Stream<Named<Net>> nets() {
        return Stream.of(Named.of("native", Net.nativeNet()), Named.of("nio", Net.nio()));
    }

    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path dir;
    private int fdsBefore;

    /** The JDK opens a few descriptors once, on first use of a channel kind; let it, before counting. */
    @BeforeAll
    static void openJdkLazyDescriptors() throws IOException {
        for (Net net : new Net[] {Net.nativeNet(), Net.nio()}) {
            net.pipe().close();
            for (StreamSocket s : net.socketPair()) s.close();
            net.udp(LOOPBACK_ANY_PORT).close();
            net.listen(LOOPBACK_ANY_PORT, ListenOptions.defaults()).close();
        }
    }

    @BeforeEach
    void countDescriptors() {
        fdsBefore = openDescriptors();
    }

    @AfterEach
    void nothingLeaked() {
        assertThat(openDescriptors()).as("open descriptors after the test").isEqualTo(fdsBefore);
    }

    private static int openDescriptors() {
        return new File("/proc/self/fd").list().length;
    }

    // ---- TCP

    @EachNet
    void tcpIpv4ConnectAcceptEcho(Net net) throws IOException {
        echoOver(net, LOOPBACK_ANY_PORT);
    }

    @EachNet
    void tcpIpv6ConnectAcceptEcho(Net net) throws IOException {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        assumeTrue(ipv6Available(net, v6), "IPv6 loopback not available");
        echoOver(net, v6);
    }

    @EachNet
    void unixDomainListenConnectEcho(Net net) throws IOException {
        echoOver(net, UnixDomainSocketAddress.of(dir.resolve("echo.sock")));
    }

    /** Listen, connect, accept, check both ends' addresses, send a line and echo it back. */
    private static void echoOver(Net net, SocketAddress bind) throws IOException {
        try (ServerSocket server = net.listen(bind, ListenOptions.defaults());
             StreamSocket client = net.connect(server.localAddress());
             StreamSocket accepted = Await.result(server::accept)) {
            assertThat(Await.result(() -> client.finishConnect() ? true : null)).isTrue();
            assertThat(client.remoteAddress()).isEqualTo(server.localAddress());
            assertThat(accepted.localAddress()).isEqualTo(server.localAddress());
            if (!(bind instanceof UnixDomainSocketAddress)) {
                assertThat(accepted.remoteAddress()).isEqualTo(client.localAddress());
            }

            Await.writeFully(client, ascii("ping\n"));
            ByteBuffer got = ByteBuffer.allocateDirect(5);
            Await.readFully(accepted, got);
            Await.writeFully(accepted, got.flip());
            ByteBuffer back = ByteBuffer.allocate(5);
            Await.readFully(client, back);
            assertThat(text(back.flip())).isEqualTo("ping\n");
        }
    }

    @EachNet
    void connectToClosedPortFailsInFinishConnect(Net net) throws IOException {
        SocketAddress closed;
        try (ServerSocket probe = net.listen(LOOPBACK_ANY_PORT, ListenOptions.defaults())) {
            closed = probe.localAddress();
        }
        try (StreamSocket client = net.connect(closed)) {
            Class<? extends IOException> expected = net == Net.nativeNet() ? ErrnoException.class : ConnectException.class;
            assertThatThrownBy(() -> Await.result(() -> client.finishConnect() ? true : null))
                    .isInstanceOf(expected)
                    .satisfies(e -> {
                        if (e instanceof ErrnoException errno) assertThat(errno.errno()).isEqualTo(Errno.ECONNREFUSED);
                    });
            // The failure is remembered, as SO_ERROR is cleared by reading it.
            assertThatThrownBy(client::finishConnect).isInstanceOf(expected);
        }
    }

    @EachNet
    void acceptReturnsNullWithoutPendingConnection(Net net) throws IOException {
        try (ServerSocket server = net.listen(LOOPBACK_ANY_PORT, ListenOptions.defaults())) {
            assertThat(server.accept()).isNull();
        }
    }

    @EachNet
    void reusePortLetsTwoListenersShareAPort(Net net) throws IOException {
        ListenOptions shared = ListenOptions.defaults().withReusePort(true).withBacklog(16);
        try (ServerSocket first = net.listen(LOOPBACK_ANY_PORT, shared);
             ServerSocket second = net.listen(first.localAddress(), shared)) {
            assertThat(second.localAddress()).isEqualTo(first.localAddress());
            assertThat(second.getOption(StandardSocketOptions.SO_REUSEPORT)).isTrue();
        }
        try (ServerSocket first = net.listen(LOOPBACK_ANY_PORT, ListenOptions.defaults())) {
            assertThatThrownBy(() -> net.listen(first.localAddress(), ListenOptions.defaults()).close())
                    .isInstanceOf(IOException.class);
        }
    }

    @EachNet
    void ipv6OnlyRefusesIpv4(Net net) throws IOException {
        InetSocketAddress wildcard6 = new InetSocketAddress(InetAddress.getByName("::"), 0);
        assumeTrue(ipv6Available(net, wildcard6), "IPv6 not available");
        ListenOptions v6only = ListenOptions.defaults().withIpv6Only(true);
        if (net == Net.nio()) {
            assertThatThrownBy(() -> net.listen(wildcard6, v6only)).isInstanceOf(UnsupportedOperationException.class);
            return;
        }
        try (ServerSocket server = net.listen(wildcard6, v6only);
             StreamSocket client = net.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port(server)))) {
            assertThatThrownBy(() -> Await.result(() -> client.finishConnect() ? true : null))
                    .isInstanceOf(ErrnoException.class)
                    .extracting(e -> ((ErrnoException) e).errno()).isEqualTo(Errno.ECONNREFUSED);
        }
        try (ServerSocket dual = net.listen(wildcard6, ListenOptions.defaults());
             StreamSocket client = net.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port(dual)));
             StreamSocket accepted = Await.result(dual::accept)) {
            assertThat(Await.result(() -> client.finishConnect() ? true : null)).isTrue();
            assertThat(((InetSocketAddress) accepted.remoteAddress()).getAddress())
                    .isEqualTo(InetAddress.getLoopbackAddress());
        }
    }

    // ---- streams

    @EachNet
    void socketPairCarriesBytesBothWays(Net net) throws IOException {
        StreamSocket[] pair = net.socketPair();
        try (StreamSocket a = pair[0]; StreamSocket b = pair[1]) {
            Await.writeFully(a, ascii("to b"));
            Await.writeFully(b, ascii("to a"));
            ByteBuffer atB = ByteBuffer.allocate(4);
            ByteBuffer atA = ByteBuffer.allocateDirect(4);
            Await.readFully(b, atB);
            Await.readFully(a, atA);
            assertThat(text(atB.flip())).isEqualTo("to b");
            assertThat(text(atA.flip())).isEqualTo("to a");
        }
    }

    @EachNet
    void pipeCarriesBytesAndEndsWhenSinkCloses(Net net) throws IOException {
        try (PipeEnds pipe = net.pipe()) {
            Await.writeFully(pipe.sink(), ascii("through"));
            ByteBuffer got = ByteBuffer.allocate(7);
            Await.readFully(pipe.source(), got);
            assertThat(text(got.flip())).isEqualTo("through");
            assertThat(pipe.source().read(ByteBuffer.allocate(1))).isZero();
            pipe.sink().close();
            Await.endOfStream(pipe.source());
        }
    }

    @EachNet
    void readReturnsZeroWhenNothingIsAvailable(Net net) throws IOException {
        StreamSocket[] pair = net.socketPair();
        try (StreamSocket a = pair[0]; StreamSocket b = pair[1]) {
            assertThat(a.read(ByteBuffer.allocate(16))).isZero();
            assertThat(a.read(ByteBuffer.allocateDirect(16))).isZero();
            try (Arena arena = Arena.ofConfined()) {
                assertThat(a.read(arena.allocate(16), 0, 16)).isZero();
                assertThat(a.read(new MemorySegment[] {arena.allocate(8), arena.allocate(8)}, 0, 2)).isZero();
            }
            assertThat(a.read(new ByteBuffer[] {ByteBuffer.allocate(8)}, 0, 1)).isZero();
        }
    }

    @EachNet
    void writeReturnsZeroWhenTheKernelBufferIsFull(Net net) throws IOException {
        StreamSocket[] pair = net.socketPair();
        try (StreamSocket a = pair[0]; StreamSocket b = pair[1]) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
            long written = 0;
            int n;
            while ((n = a.write(chunk.clear())) > 0) written += n;
            assertThat(n).isZero();
            assertThat(written).isPositive();

            ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
            long read = 0;
            while (read < written) {
                read += Await.result(() -> {
                    int r = b.read(sink.clear());
                    return r == 0 ? null : r;
                });
            }
            assertThat(read).isEqualTo(written);
            assertThat(b.read(sink.clear())).isZero();
        }
    }

    @EachNet
    void shutdownOutputGivesEndOfStreamAtThePeer(Net net) throws IOException {
        StreamSocket[] pair = net.socketPair();
        try (StreamSocket a = pair[0]; StreamSocket b = pair[1]) {
            Await.writeFully(a, ascii("last"));
            a.shutdownOutput();
            ByteBuffer got = ByteBuffer.allocate(4);
            Await.readFully(b, got);
            Await.endOfStream(b);
            // The other direction still works.
            Await.writeFully(b, ascii("reply"));
            ByteBuffer reply = ByteBuffer.allocate(5);
            Await.readFully(a, reply);
            assertThat(text(reply.flip())).isEqualTo("reply");
            a.shutdownInput();
            assertThat(a.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
    }

    @EachNet
    void gatheringWriteAndScatteringReadOfBuffers(Net net) throws IOException {
        StreamSocket[] pair = net.socketPair();
        try (StreamSocket a = pair[0]; StreamSocket b = pair[1]) {
            ByteBuffer[] out = {ascii("heap-"), direct("direct-"), ByteBuffer.allocate(0), ascii("heap")};
            long written = a.write(out, 0, out.length);
            assertThat(written).isEqualTo(16);
            assertThat(out).allSatisfy(buf -> assertThat(buf.hasRemaining()).isFalse());

            ByteBuffer first = ByteBuffer.allocateDirect(3);
            ByteBuffer second = ByteBuffer.allocate(10);
            ByteBuffer third = ByteBuffer.allocate(10);
            ByteBuffer[] in = {first, second, third};
            long read = Await.result(() -> {
                long r = b.read(in, 0, in.length);
                return r == 0 ? null : r;
            });
            assertThat(read).isEqualTo(16);
            assertThat(first.position()).isEqualTo(3);
            assertThat(second.position()).isEqualTo(10);
            assertThat(third.position()).isEqualTo(3);
            assertThat(text(first.flip()) + text(second.flip()) + text(third.flip())).isEqualTo("heap-direct-heap");
        }
    }

    @EachNet
    void gatheringWriteAndScatteringReadOfSegments(Net net) throws IOException {
        StreamSocket[] pair = net.socketPair();
        try (StreamSocket a = pair[0]; StreamSocket b = pair[1]; Arena arena = Arena.ofConfined()) {
            MemorySegment nativeOut = arena.allocateFrom("native|", US_ASCII).asSlice(0, 7);
            MemorySegment heapOut = MemorySegment.ofArray("heap".getBytes(US_ASCII));
            assertThat(a.write(new MemorySegment[] {nativeOut, heapOut}, 0, 2)).isEqualTo(11);

            byte[] heapIn = new byte[4];
            MemorySegment nativeIn = arena.allocate(7);
            MemorySegment[] in = {MemorySegment.ofArray(heapIn), nativeIn};
            long read = Await.result(() -> {
                long r = b.read(in, 0, in.length);
                return r == 0 ? null : r;
            });
            assertThat(read).isEqualTo(11);
            assertThat(new String(heapIn, US_ASCII) + new String(nativeIn.toArray(ValueLayout.JAVA_BYTE), US_ASCII))
                    .isEqualTo("native|heap");
        }
    }

    /** More heap memory than one native vectored call can stage: partial calls, bytes intact. */
    @EachNet
    void largeVectoredTransferOfHeapMemoryArrivesIntact(Net net) throws IOException {
        StreamSocket[] pair = net.socketPair();
        try (StreamSocket a = pair[0]; StreamSocket b = pair[1]) {
            byte[] data = new byte[300 * 1024];
            for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + (i >> 10));
            ByteBuffer[] out = {ByteBuffer.wrap(data, 0, 100_000), ByteBuffer.wrap(data, 100_000, data.length - 100_000)};
            byte[] got = new byte[data.length];
            MemorySegment[] in = {MemorySegment.ofArray(got)};
            long received = 0;
            while (received < data.length) {
                a.write(out, 0, out.length);
                long r = Await.result(() -> {
                    long n = b.read(in, 0, 1);
                    return n == 0 ? null : n;
                });
                assertThat(r).isPositive();
                in[0] = in[0].asSlice(r);
                received += r;
            }
            assertThat(out[1].hasRemaining()).isFalse();
            assertThat(got).isEqualTo(data);
        }
    }

    @EachNet
    void vectoredCallsStopAtIovMax(Net net) throws IOException {
        StreamSocket[] pair = net.socketPair();
        try (StreamSocket a = pair[0]; StreamSocket b = pair[1]) {
            ByteBuffer[] out = new ByteBuffer[Net.IOV_MAX + 100];
            for (int i = 0; i < out.length; i++) out[i] = ByteBuffer.wrap(new byte[] {(byte) i});
            assertThat(a.write(out, 0, out.length)).isEqualTo(Net.IOV_MAX);
            assertThat(out[Net.IOV_MAX].hasRemaining()).isTrue();

            ByteBuffer[] in = new ByteBuffer[Net.IOV_MAX + 100];
            for (int i = 0; i < in.length; i++) in[i] = ByteBuffer.allocateDirect(1);
            long read = Await.result(() -> {
                long r = b.read(in, 0, in.length);
                return r == 0 ? null : r;
            });
            assertThat(read).isEqualTo(Net.IOV_MAX);
            for (int i = 0; i < Net.IOV_MAX; i++) assertThat(in[i].get(0)).isEqualTo((byte) i);
        }
    }

    @EachNet
    void segmentReadAndWriteHonourOffsetAndLength(Net net) throws IOException {
        StreamSocket[] pair = net.socketPair();
        try (StreamSocket a = pair[0]; StreamSocket b = pair[1]; Arena arena = Arena.ofConfined()) {
            MemorySegment heap = MemorySegment.ofArray("xxpayloadyy".getBytes(US_ASCII));
            assertThat(a.write(heap, 2, 7)).isEqualTo(7);
            MemorySegment in = arena.allocate(16);
            in.fill((byte) '.');
            long read = Await.result(() -> {
                long r = b.read(in, 4, 12);
                return r == 0 ? null : r;
            });
            assertThat(read).isEqualTo(7);
            assertThat(new String(in.asSlice(0, 12).toArray(ValueLayout.JAVA_BYTE), US_ASCII)).isEqualTo("....payload.");
        }
    }

    // ---- UDP

    @EachNet
    void udpSendAndReceive(Net net) throws IOException {
        try (DatagramSocket a = net.udp(LOOPBACK_ANY_PORT); DatagramSocket b = net.udp(LOOPBACK_ANY_PORT)) {
            assertThat(b.receive(ByteBuffer.allocate(16))).isNull();
            ByteBuffer hello = ascii("hello");
            assertThat(a.send(hello, b.localAddress())).isEqualTo(5);
            assertThat(hello.hasRemaining()).isFalse();

            ByteBuffer got = ByteBuffer.allocate(16);
            SocketAddress from = Await.result(() -> b.receive(got));
            assertThat(from).isEqualTo(a.localAddress());
            assertThat(text(got.flip())).isEqualTo("hello");

            b.connect(a.localAddress());
            assertThat(b.remoteAddress()).isEqualTo(a.localAddress());
            assertThat(b.send(direct("back"), null)).isEqualTo(4);
            ByteBuffer back = ByteBuffer.allocateDirect(2); // the rest of the datagram is dropped
            assertThat(Await.result(() -> a.receive(back))).isEqualTo(b.localAddress());
            assertThat(text(back.flip())).isEqualTo("ba");
        }
    }

    // ---- options, addresses, handles

    @EachNet
    void optionsRoundTrip(Net net) throws IOException {
        try (ServerSocket server = net.listen(LOOPBACK_ANY_PORT, ListenOptions.defaults());
             StreamSocket client = net.connect(server.localAddress());
             StreamSocket accepted = Await.result(server::accept)) {
            assertThat(server.getOption(StandardSocketOptions.SO_REUSEADDR)).isTrue();
            client.setOption(StandardSocketOptions.TCP_NODELAY, true)
                    .setOption(StandardSocketOptions.SO_KEEPALIVE, true)
                    .setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024)
                    .setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024)
                    .setOption(StandardSocketOptions.SO_LINGER, 3)
                    .setOption(StandardSocketOptions.SO_REUSEADDR, true);
            assertThat(client.getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
            assertThat(client.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
            assertThat(client.getOption(StandardSocketOptions.SO_SNDBUF)).isGreaterThanOrEqualTo(64 * 1024);
            assertThat(client.getOption(StandardSocketOptions.SO_RCVBUF)).isGreaterThanOrEqualTo(32 * 1024);
            assertThat(client.getOption(StandardSocketOptions.SO_LINGER)).isEqualTo(3);
            assertThat(client.getOption(StandardSocketOptions.SO_REUSEADDR)).isTrue();

            client.setOption(StandardSocketOptions.TCP_NODELAY, false).setOption(StandardSocketOptions.SO_LINGER, -1);
            assertThat(client.getOption(StandardSocketOptions.TCP_NODELAY)).isFalse();
            assertThat(client.getOption(StandardSocketOptions.SO_LINGER)).isNegative();
            assertThat(accepted.getOption(StandardSocketOptions.SO_KEEPALIVE)).isFalse();
            assertThatThrownBy(() -> client.getOption(StandardSocketOptions.IP_MULTICAST_LOOP))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @EachNet
    void handlesMatchTheirBackendKind(Net net) throws IOException {
        try (PipeEnds pipe = net.pipe()) {
            for (IoHandle h : new IoHandle[] {pipe.source(), pipe.sink()}) {
                if (net == Net.nativeNet()) {
                    assertThat(h.fd()).isNotNegative();
                    assertThat(h.channel()).isNull();
                } else {
                    assertThat(h.fd()).isEqualTo(-1);
                    assertThat(h.channel()).isNotNull();
                    assertThat(h.channel().isBlocking()).isFalse();
                }
            }
        }
    }

    @EachNet
    void closeIsIdempotentAndLaterUseFails(Net net) throws IOException {
        StreamSocket[] pair = net.socketPair();
        StreamSocket a = pair[0];
        pair[1].close();
        assertThat(a.isOpen()).isTrue();
        a.close();
        a.close();
        assertThat(a.isOpen()).isFalse();
        assertThatThrownBy(() -> a.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> a.write(ascii("x"))).isInstanceOf(ClosedChannelException.class);
        ServerSocket server = net.listen(LOOPBACK_ANY_PORT, ListenOptions.defaults());
        server.close();
        server.close();
        assertThatThrownBy(server::accept).isInstanceOf(ClosedChannelException.class);
    }

    @EachNet
    void wrapAdoptsAnExistingConnection(Net net) throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(LOOPBACK_ANY_PORT);
            if (net == Net.nativeNet()) {
                try (SocketChannel channel = SocketChannel.open()) {
                    assertThatThrownBy(() -> net.wrap(channel)).isInstanceOf(UnsupportedOperationException.class);
                }
                int[] raw = LibC.socketPair(LibC.AF_UNIX, LibC.SOCK_STREAM);
                try (StreamSocket adopted = net.wrap(raw[0]); StreamSocket peer = net.wrap(raw[1])) {
                    exchange(adopted, peer);
                }
                return;
            }
            assertThatThrownBy(() -> net.wrap(0)).isInstanceOf(UnsupportedOperationException.class);
            try (SocketChannel blocking = SocketChannel.open(listener.getLocalAddress());
                 SocketChannel peerChannel = listener.accept();
                 StreamSocket adopted = net.wrap(blocking);
                 StreamSocket peer = net.wrap(peerChannel)) {
                assertThat(blocking.isBlocking()).isFalse();
                exchange(adopted, peer);
            }
        }
    }

    /** {@code a} is non-blocking (reads 0 when empty) and carries bytes to {@code b}. */
    private static void exchange(StreamSocket a, StreamSocket b) throws IOException {
        assertThat(a.finishConnect()).isTrue();
        assertThat(a.read(ByteBuffer.allocate(1))).isZero();
        Await.writeFully(a, ascii("adopted"));
        ByteBuffer got = ByteBuffer.allocate(7);
        Await.readFully(b, got);
        assertThat(text(got.flip())).isEqualTo("adopted");
    }

    // ---- helpers

    private static boolean ipv6Available(Net net, InetSocketAddress address) {
        if (!(address.getAddress() instanceof Inet6Address)) return false;
        try {
            net.listen(address, ListenOptions.defaults()).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int port(ServerSocket server) throws IOException {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(US_ASCII));
    }

    private static ByteBuffer direct(String s) {
        byte[] bytes = s.getBytes(US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    private static String text(ByteBuffer buf) {
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return new String(bytes, US_ASCII);
    }
}
