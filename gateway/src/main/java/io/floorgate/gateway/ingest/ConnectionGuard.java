package io.floorgate.gateway.ingest;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits right behind Netty's MQTT decoder on every connection and enforces what concerns the connection rather than
 * the device: a whole CONNECT within the connect timeout of the accept, however slowly its bytes arrive; a packet
 * the decoder could not read closes the connection; a keep-alive of at most {@code maxKeepAlive}, enforced for
 * every device; and a write buffer that stays under its high water mark (set by the {@link ConnectionGate}).
 * Each closing goes through {@link Refusals}: counted under its reason, logged once.
 *
 * <p>Keep-alive: the guard alone enforces it, so that every idle close is counted. Vert.x MQTT would close a silent
 * connection itself, without a word, so the CONNECT it is handed says keep-alive 0 (none), and the guard runs its own
 * idle timer at 1.5 times the effective keep-alive [MQTT-3.1.2-24]: the device's, or {@code maxKeepAlive} when it
 * asked for none or more. An MQTT 5 device is told the effective value in CONNACK (Server Keep Alive) and, as it
 * must not send QoS 2, that the Maximum QoS is 1 [MQTT-3.2.2-21], [MQTT-3.2.2-9].
 *
 * <p>Threads: one per connection, on its event loop.
 */
final class ConnectionGuard extends ChannelDuplexHandler {

    /** How Netty's decoder words its refusal of a PUBLISH topic with + or #. */
    private static final String WILDCARD_TOPIC_MESSAGE = "invalid publish topic name";
    private static final double KEEP_ALIVE_GRACE = 1.5;
    private static final int MAX_QOS = 1;

    private final long connectTimeoutMs;
    private final int maxKeepAliveSeconds;
    private final Refusals refusals;
    private ScheduledFuture<?> connectDeadline;
    private boolean connected;
    /** The keep-alive the device is held to, when the guard chose it for the device (MQTT 5 is told); else 0. */
    private int imposedKeepAlive;
    private boolean mqtt5;

    ConnectionGuard(Duration connectTimeout, Duration maxKeepAlive, Refusals refusals) {
        this.connectTimeoutMs = connectTimeout.toMillis();
        this.maxKeepAliveSeconds = (int) maxKeepAlive.toSeconds();
        this.refusals = refusals;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connectDeadline = ctx.executor().schedule(() -> {
            if (!connected) {
                refuse(ctx, Rejection.CONNECT_TIMEOUT, "no whole CONNECT within " + connectTimeoutMs + " ms");
            }
        }, connectTimeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Throwable failure = packet.decoderResult().cause();
        if (failure != null && !(failure instanceof MqttUnacceptableProtocolVersionException)) {
            // Vert.x MQTT answers an unknown protocol version itself, with the CONNACK code for it [MQTT-3.1.2-2].
            ReferenceCountUtil.release(msg);
            boolean wildcard = failure instanceof DecoderException
                    && String.valueOf(failure.getMessage()).startsWith(WILDCARD_TOPIC_MESSAGE);
            refuse(ctx, wildcard ? Rejection.TOPIC_WILDCARD : Rejection.MALFORMED_PACKET, failure.toString());
            return;
        }
        if (msg instanceof MqttConnectMessage connect && !connected) {
            ctx.fireChannelRead(admitted(ctx, connect));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Stops the connect clock, starts the idle clock, and hands Vert.x the CONNECT without a keep-alive. */
    private MqttConnectMessage admitted(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        connected = true;
        connectDeadline.cancel(false);
        MqttConnectVariableHeader header = connect.variableHeader();
        int asked = header.keepAliveTimeSeconds();
        int effective = asked == 0 || asked > maxKeepAliveSeconds ? maxKeepAliveSeconds : asked;
        imposedKeepAlive = effective == asked ? 0 : effective;
        mqtt5 = ProtocolVersion.isMqtt5(header.version());
        long idleMs = (long) Math.ceil(effective * KEEP_ALIVE_GRACE * 1000);
        ctx.pipeline().addBefore(ctx.name(), "floorgateIdle", new IdleStateHandler(idleMs, 0, 0, TimeUnit.MILLISECONDS));
        MqttConnectVariableHeader withoutKeepAlive = new MqttConnectVariableHeader(header.name(), header.version(),
                header.hasUserName(), header.hasPassword(), header.isWillRetain(), header.willQos(),
                header.isWillFlag(), header.isCleanSession(), 0, header.properties());
        return new MqttConnectMessage(connect.fixedHeader(), withoutKeepAlive, connect.payload());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            refuse(ctx, Rejection.IDLE_TIMEOUT, "nothing received for 1.5 times the keep-alive");
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (!ctx.channel().isWritable() && ctx.channel().isActive()) {
            refuse(ctx, Rejection.SLOW_READER, "does not read what the gateway sends; "
                    + ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes() + " bytes waiting");
            return;
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (mqtt5 && msg instanceof MqttConnAckMessage ack
                && ack.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            super.write(ctx, withServerLimits(ack), promise);
            return;
        }
        super.write(ctx, msg, promise);
    }

    private MqttConnAckMessage withServerLimits(MqttConnAckMessage ack) {
        MqttProperties properties = new MqttProperties();
        ack.variableHeader().properties().listAll().forEach(properties::add);
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_QOS, MAX_QOS));
        if (imposedKeepAlive > 0) {
            properties.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, imposedKeepAlive));
        }
        return new MqttConnAckMessage(ack.fixedHeader(), new MqttConnAckVariableHeader(
                ack.variableHeader().connectReturnCode(), ack.variableHeader().isSessionPresent(), properties));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connectDeadline.cancel(false);
        super.channelInactive(ctx);
    }

    private void refuse(ChannelHandlerContext ctx, Rejection reason, String detail) {
        if (ctx.channel().isActive()) {
            refusals.refuse(reason, IngestMetrics.UNKNOWN_DEVICE, ctx.channel().remoteAddress(), detail);
            ctx.close();
        }
    }
}
