package io.floorgate.sim.wire;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Opens {@link RawMqttConnection}s on a fixed number of event-loop threads, shared by all of them. */
public final class RawMqttClient implements AutoCloseable {

    /** Enough queued bytes to keep a loopback socket busy between two event-loop turns. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final InetSocketAddress broker;

    public RawMqttClient(URI brokerUri, int threads) {
        this.broker = new InetSocketAddress(brokerUri.getHost(), brokerUri.getPort() < 0 ? 1883 : brokerUri.getPort());
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS);
    }

    /**
     * Connects and sends CONNECT with a clean session; the future completes on CONNACK 0.
     *
     * @param username null for none (an anonymous broker)
     * @param password null for none
     * @param will     null for none
     */
    public CompletableFuture<RawMqttConnection> connect(String clientId, String username, String password,
                                                        int keepAliveS, MqttFrames.Will will,
                                                        RawMqttConnection.Handler handler) {
        ByteBuf connect = MqttFrames.connect(PooledByteBufAllocator.DEFAULT, clientId, username, password,
                keepAliveS, will);
        RawMqttConnection connection = new RawMqttConnection(connect, handler);
        ChannelFuture opened = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(connection);
            }
        }).connect(broker);
        opened.addListener(f -> {
            if (!f.isSuccess()) {
                connect.release();
                connection.connected().completeExceptionally(f.cause());
            }
        });
        return connection.connected();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
