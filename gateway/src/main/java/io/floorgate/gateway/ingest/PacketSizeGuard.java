package io.floorgate.gateway.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads each packet's fixed header as the bytes stream past, before Netty's MQTT decoder, and closes the connection
 * the moment a header announces a remaining length over the packet limit. The decoder checks the length only after
 * it has buffered the packet's variable header, which for MQTT 5 holds properties of up to 256 MiB; this guard
 * copies nothing and keeps a few numbers per connection.
 *
 * <p>A fixed header is one byte of type and flags, then the remaining length in 1 to 4 bytes of 7 bits each, low
 * bits first [MQTT-2.2.3]. A length that runs past 4 bytes is left to the decoder to refuse as malformed.
 *
 * <p>Threads: one per connection, on its event loop.
 */
final class PacketSizeGuard extends ChannelInboundHandlerAdapter {

    private static final int MAX_LENGTH_BYTES = 4;
    private static final int CONTINUATION_BIT = 0x80;
    private static final int VALUE_BITS = 0x7F;
    private static final int BITS_PER_LENGTH_BYTE = 7;

    private final int maxPacketBytes;
    private final Refusals refusals;
    /** Bytes of the current packet still to pass after its fixed header. */
    private long toSkip;
    private boolean inLength;
    private int lengthBytes;
    private long length;
    /** The stream is no longer framed as MQTT (a length over 4 bytes): the decoder refuses it. */
    private boolean lost;

    PacketSizeGuard(int maxPacketBytes, Refusals refusals) {
        this.maxPacketBytes = maxPacketBytes;
        this.refusals = refusals;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && !lost) {
            long announced = scan(bytes);
            if (announced > maxPacketBytes) {
                ReferenceCountUtil.release(msg);
                refusals.refuse(Rejection.PACKET_TOO_LARGE, IngestMetrics.UNKNOWN_DEVICE, ctx.channel().remoteAddress(),
                        "a packet of " + announced + " bytes announced; the limit is " + maxPacketBytes);
                ctx.close();
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Walks the fixed headers in these bytes; @return a remaining length over the limit, or -1. */
    private long scan(ByteBuf bytes) {
        int at = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (at < end) {
            if (toSkip > 0) {
                int skipped = (int) Math.min(toSkip, end - at);
                at += skipped;
                toSkip -= skipped;
            } else if (!inLength) {
                at++; // the type and flags byte
                inLength = true;
                lengthBytes = 0;
                length = 0;
            } else {
                int b = bytes.getByte(at++) & 0xFF;
                length |= (long) (b & VALUE_BITS) << (BITS_PER_LENGTH_BYTE * lengthBytes);
                lengthBytes++;
                if ((b & CONTINUATION_BIT) == 0) {
                    if (length > maxPacketBytes) {
                        return length;
                    }
                    inLength = false;
                    toSkip = length;
                } else if (lengthBytes == MAX_LENGTH_BYTES) {
                    lost = true;
                    return -1;
                }
            }
        }
        return -1;
    }
}
