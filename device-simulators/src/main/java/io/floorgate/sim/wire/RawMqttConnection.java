package io.floorgate.sim.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.CompletableFuture;

/**
 * One MQTT 3.1.1 client connection written straight on a Netty channel. Lives on its channel's
 * event loop: every {@link Handler} callback runs there, and so must every write.
 */
public final class RawMqttConnection extends ChannelInboundHandlerAdapter implements MqttFrameReader.Listener {

    /** What the owner of the connection wants to hear about; all called on the channel's event loop. */
    public interface Handler {
        default void puback(int packetId) {
        }

        default void delivered() {
        }

        /** A batch of inbound packets was processed, or the socket became writable again: a good moment to write more. */
        default void canWrite() {
        }

        default void closed() {
        }
    }

    /** The broker answered CONNECT with a non-zero return code [MQTT-3.2.2.3]. */
    public static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int returnCode;

        public RefusedException(int returnCode) {
            super(returnCode < 0 ? "connection closed before CONNACK" : "CONNACK refused with return code " + returnCode);
            this.returnCode = returnCode;
        }

        /** The CONNACK return code, or -1 when the connection was closed without one. */
        public int returnCode() {
            return returnCode;
        }
    }

    private final ByteBuf connectPacket;
    private final Handler handler;
    private final CompletableFuture<RawMqttConnection> connected = new CompletableFuture<>();
    private MqttFrameReader reader;
    private Channel channel;

    RawMqttConnection(ByteBuf connectPacket, Handler handler) {
        this.connectPacket = connectPacket;
        this.handler = handler;
    }

    /** Completes on CONNACK 0; fails with {@link RefusedException} on refusal or close. */
    public CompletableFuture<RawMqttConnection> connected() {
        return connected;
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        reader = new MqttFrameReader(ctx.alloc(), this);
        ctx.writeAndFlush(connectPacket);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reader.read((ByteBuf) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        handler.canWrite();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            handler.canWrite();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (reader != null) {
            reader.release();
        }
        connected.completeExceptionally(new RefusedException(-1));
        handler.closed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset by the broker: the close that follows tells the owner
        ctx.close();
    }

    @Override
    public void connack(int returnCode) {
        if (returnCode == 0) {
            connected.complete(this);
        } else {
            connected.completeExceptionally(new RefusedException(returnCode));
            channel.close();
        }
    }

    @Override
    public void puback(int packetId) {
        handler.puback(packetId);
    }

    @Override
    public void publish() {
        handler.delivered();
    }
}
