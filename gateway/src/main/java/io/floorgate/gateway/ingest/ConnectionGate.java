package io.floorgate.gateway.ingest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.floorgate.config.Limits;
import io.floorgate.gateway.limits.TokenBucket;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.VertxWrapper;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.internal.tls.SslContextProvider;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrafficShapingOptions;
import io.vertx.core.net.impl.NetServerInternal;

/**
 * The MQTT listeners' door: every accepted TCP connection passes here before Vert.x MQTT reads a byte of it.
 * Here a connection is refused (closed at once, counted) when its address opens connections faster than
 * {@link Limits#connectionRatePerAddress()} allows or when {@link Limits#maxConnections()} are open already;
 * an admitted one gets a bounded write buffer ({@link Limits#maxWriteBufferBytes()}), a {@link PacketSizeGuard}
 * in front of the MQTT decoder and a {@link ConnectionGuard} behind it.
 *
 * <p>Vert.x MQTT offers no hook between accepting a socket and decoding its CONNECT, so the gate hands the MQTT server
 * a {@link Vertx} whose net servers wrap their connect handler ({@link #gated}): the gate runs first, then Vert.x MQTT
 * sets up its pipeline, then the gate adds its guards around the decoder.
 *
 * <p>Threads: {@link #admit} runs on the connection's event loop; the open count and the per-address table are shared
 * by every loop's listener.
 */
final class ConnectionGate {

    /**
     * Addresses whose allowance is tracked at once. An address whose bucket has refilled is forgotten (it would get
     * a full bucket again anyway); beyond this many busy addresses a new one is not tracked, and only the global cap
     * holds it, so that a storm from many addresses cannot grow the table without bound.
     */
    private static final int MAX_TRACKED_ADDRESSES = 10_000;
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The name Vert.x MQTT gives Netty's MQTT decoder in each connection's pipeline. */
    private static final String MQTT_DECODER = "mqttDecoder";

    private final Supplier<Limits> limits;
    private final Refusals refusals;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, TokenBucket> byAddress = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());

    ConnectionGate(Supplier<Limits> limits, Refusals refusals) {
        this.limits = limits;
        this.refusals = refusals;
    }

    /**
     * {@code vertx} for {@code MqttServer.create}: the net servers it creates pass each connection through this gate.
     *
     * @param maxPacketBytes the MQTT decoder's packet limit, which the {@link PacketSizeGuard} enforces first
     */
    Vertx gated(Vertx vertx, int maxPacketBytes) {
        return new GatedVertx((VertxInternal) vertx, maxPacketBytes);
    }

    private void admit(NetSocket socket, Handler<NetSocket> mqtt, int maxPacketBytes) {
        Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
        Limits current = limits.get();
        long now = System.nanoTime();
        Object remote = channel.remoteAddress();
        TokenBucket allowance = allowanceOf(remote, current, now);
        if (allowance != null && !allowance.tryTake(now)) {
            refusals.refuse(Rejection.CONNECTION_RATE, IngestMetrics.UNKNOWN_DEVICE, remote,
                    "over " + current.connectionRatePerAddress() + " connections/s from one address");
            channel.close();
            return;
        }
        if (open.incrementAndGet() > current.maxConnections()) {
            open.decrementAndGet();
            refusals.refuse(Rejection.CONNECTION_CAP, IngestMetrics.UNKNOWN_DEVICE, remote,
                    current.maxConnections() + " connections open already");
            channel.close();
            return;
        }
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        // Past the high mark the channel turns unwritable and the ConnectionGuard closes it: what the gateway writes
        // to a client that does not read (PUBACKs, PINGRESPs, commands) never piles up beyond this.
        int highMark = current.maxWriteBufferBytes();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(highMark / 2, highMark));
        mqtt.handle(socket);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addBefore(MQTT_DECODER, "floorgatePacketSize", new PacketSizeGuard(maxPacketBytes, refusals));
        pipeline.addAfter(MQTT_DECODER, "floorgateGuard",
                new ConnectionGuard(current.connectTimeout(), current.maxKeepAlive(), refusals));
    }

    /** Null when the address is not tracked: not an IP connection, or too many busy addresses at once. */
    private TokenBucket allowanceOf(Object remote, Limits current, long now) {
        if (!(remote instanceof InetSocketAddress inet)) {
            return null;
        }
        InetAddress address = inet.getAddress();
        TokenBucket known = byAddress.get(address);
        if (known != null) {
            return known;
        }
        if (byAddress.size() >= MAX_TRACKED_ADDRESSES) {
            sweep(now);
            if (byAddress.size() >= MAX_TRACKED_ADDRESSES) {
                return null;
            }
        }
        return byAddress.computeIfAbsent(address, a -> new TokenBucket(current.connectionRatePerAddress(),
                current.connectionBurstPerAddress(), now));
    }

    /** Forgets addresses whose allowance has refilled; at most once a second, however many addresses arrive. */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last >= SWEEP_INTERVAL_NANOS && lastSweep.compareAndSet(last, now)) {
            byAddress.values().removeIf(bucket -> bucket.isFull(now));
        }
    }

    /** A Vert.x that differs from the one it wraps only in the net servers it creates. */
    private final class GatedVertx extends VertxWrapper {
        private final int maxPacketBytes;

        GatedVertx(VertxInternal delegate, int maxPacketBytes) {
            super(delegate);
            this.maxPacketBytes = maxPacketBytes;
        }

        @Override
        public NetServerInternal createNetServer(NetServerOptions options) {
            return new GatedNetServer(delegate.createNetServer(options), maxPacketBytes);
        }
    }

    /** A net server whose connect handler runs behind the gate; everything else is the wrapped server's. */
    private final class GatedNetServer implements NetServerInternal {
        private final NetServerInternal server;
        private final int maxPacketBytes;

        GatedNetServer(NetServerInternal server, int maxPacketBytes) {
            this.server = server;
            this.maxPacketBytes = maxPacketBytes;
        }

        @Override
        public NetServerInternal connectHandler(Handler<NetSocket> handler) {
            server.connectHandler(handler == null ? null : socket -> admit(socket, handler, maxPacketBytes));
            return this;
        }

        @Override
        public Handler<NetSocket> connectHandler() {
            return server.connectHandler();
        }

        @Override
        public NetServerInternal exceptionHandler(Handler<Throwable> handler) {
            server.exceptionHandler(handler);
            return this;
        }

        @Override
        public SslContextProvider sslContextProvider() {
            return server.sslContextProvider();
        }

        @Override
        public Future<NetServer> listen(ContextInternal context, SocketAddress localAddress) {
            return server.listen(context, localAddress).map(this);
        }

        @Override
        public Future<NetServer> listen() {
            return server.listen().map(this);
        }

        @Override
        public Future<NetServer> listen(SocketAddress localAddress) {
            return server.listen(localAddress).map(this);
        }

        @Override
        public Future<Void> shutdown(long timeout, TimeUnit unit) {
            return server.shutdown(timeout, unit);
        }

        @Override
        public int actualPort() {
            return server.actualPort();
        }

        @Override
        public Future<Boolean> updateSSLOptions(ServerSSLOptions options, boolean force) {
            return server.updateSSLOptions(options, force);
        }

        @Override
        public Future<Boolean> updateTrafficShapingOptions(TrafficShapingOptions options) {
            return server.updateTrafficShapingOptions(options);
        }

        @Override
        public boolean isMetricsEnabled() {
            return server.isMetricsEnabled();
        }
    }
}
