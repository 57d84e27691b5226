package io.floorgate.sim.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Splits inbound bytes into MQTT packets. Reads only what the raw clients need: the packet type,
 * and for CONNACK the return code, for PUBACK the packet id. Not thread-safe: one per channel, on
 * its event loop.
 */
public final class MqttFrameReader {

    /** What the reader found. Called on the channel's event loop. */
    public interface Listener {
        void connack(int returnCode);

        void puback(int packetId);

        /** A PUBLISH delivered to a subscriber; only counted, never parsed. */
        void publish();

        /** Any other packet: SUBACK, PINGRESP. */
        default void other(int type) {
        }
    }

    private static final int MAX_REMAINING_LENGTH_BYTES = 4;

    private final ByteBuf pending;
    private final Listener listener;

    public MqttFrameReader(ByteBufAllocator alloc, Listener listener) {
        this.pending = alloc.buffer(4096);
        this.listener = listener;
    }

    /** Consumes (and releases) {@code in}; keeps any incomplete packet for the next call. */
    public void read(ByteBuf in) {
        try {
            pending.writeBytes(in);
        } finally {
            in.release();
        }
        while (true) {
            int start = pending.readerIndex();
            if (pending.readableBytes() < 2) {
                break;
            }
            int header = pending.readUnsignedByte();
            int length = 0;
            int shift = 0;
            boolean complete = false;
            for (int i = 0; i < MAX_REMAINING_LENGTH_BYTES && pending.isReadable(); i++) {
                int digit = pending.readUnsignedByte();
                length |= (digit & 0x7F) << shift;
                shift += 7;
                if ((digit & 0x80) == 0) {
                    complete = true;
                    break;
                }
            }
            if (!complete || pending.readableBytes() < length) {
                pending.readerIndex(start);
                break;
            }
            int bodyStart = pending.readerIndex();
            dispatch(header >>> 4, length, bodyStart);
            pending.readerIndex(bodyStart + length);
        }
        pending.discardSomeReadBytes();
    }

    public void release() {
        pending.release();
    }

    private void dispatch(int type, int length, int bodyStart) {
        switch (type) {
            case MqttFrames.CONNACK -> listener.connack(length >= 2 ? pending.getUnsignedByte(bodyStart + 1) : -1);
            case MqttFrames.PUBACK -> listener.puback(pending.getUnsignedShort(bodyStart));
            case MqttFrames.PUBLISH -> listener.publish();
            default -> listener.other(type);
        }
    }
}
