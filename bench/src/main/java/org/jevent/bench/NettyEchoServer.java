package org.jevent.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 echo server peer: {@code netty-echo --port P --transport nio|epoll}.
 *
 * <p>Like the C servers it runs one event loop thread, which both accepts and serves the
 * connections; every read is written back and flushed once per read burst (the idiomatic Netty
 * echo). SIGINT/SIGTERM close it through a shutdown hook.
 */
final class NettyEchoServer {
    private NettyEchoServer() {}

    static void run(Options options) throws InterruptedException {
        int port = options.integer("port");
        String transport = options.string("transport", "epoll");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, ioHandler(transport));
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(serverChannel(transport))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(Echo.INSTANCE)
                .bind("127.0.0.1", port)
                .sync()
                .channel();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }));
        System.out.println("LISTENING " + port);
        System.out.flush();
        server.closeFuture().sync();
    }

    private static IoHandlerFactory ioHandler(String transport) {
        return switch (transport) {
            case "nio" -> NioIoHandler.newFactory();
            case "epoll" -> {
                Epoll.ensureAvailability();
                yield EpollIoHandler.newFactory();
            }
            default -> throw new IllegalArgumentException("unknown transport: " + transport);
        };
    }

    private static Class<? extends ServerChannel> serverChannel(String transport) {
        return transport.equals("nio") ? NioServerSocketChannel.class : EpollServerSocketChannel.class;
    }

    /** Writes every inbound buffer back; one flush per read burst. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
