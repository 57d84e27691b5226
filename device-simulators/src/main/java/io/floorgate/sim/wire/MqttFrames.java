package io.floorgate.sim.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Encoders for the few MQTT 3.1.1 control packets the raw clients send. PUBLISH has its own
 * encoder ({@link PublishEncoder}) because it is the hot path.
 */
public final class MqttFrames {

    public static final int CONNECT = 1;
    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int SUBSCRIBE = 8;
    public static final int SUBACK = 9;
    public static final int PINGREQ = 12;
    public static final int PINGRESP = 13;
    public static final int DISCONNECT = 14;

    /** [MQTT-1.5.3]: UTF-8 strings are prefixed by a two-byte length. */
    private static final int STRING_LENGTH_BYTES = 2;
    private static final int PROTOCOL_LEVEL_3_1_1 = 4;
    private static final int FLAG_USERNAME = 0x80;
    private static final int FLAG_PASSWORD = 0x40;
    private static final int FLAG_WILL_QOS1 = 0x08;
    private static final int FLAG_WILL = 0x04;
    private static final int FLAG_CLEAN_SESSION = 0x02;
    /** [MQTT-3.8.1-1]: SUBSCRIBE's fixed header flags are 0010. */
    private static final int SUBSCRIBE_HEADER = (SUBSCRIBE << 4) | 0x02;

    private MqttFrames() {
    }

    /**
     * @param will optional last will (topic, UTF-8 payload), sent at QoS 1, not retained; null for none
     */
    public static ByteBuf connect(ByteBufAllocator alloc, String clientId, String username, String password,
                                  int keepAliveS, Will will) {
        byte[] id = utf8(clientId);
        byte[] user = username == null ? null : utf8(username);
        byte[] pass = password == null ? null : utf8(password);
        int flags = FLAG_CLEAN_SESSION;
        int length = 2 + 4 + 1 + 1 + 2 + STRING_LENGTH_BYTES + id.length;
        if (will != null) {
            flags |= FLAG_WILL | FLAG_WILL_QOS1;
            length += STRING_LENGTH_BYTES + utf8(will.topic()).length + STRING_LENGTH_BYTES + utf8(will.message()).length;
        }
        if (user != null) {
            flags |= FLAG_USERNAME;
            length += STRING_LENGTH_BYTES + user.length;
        }
        if (pass != null) {
            flags |= FLAG_PASSWORD;
            length += STRING_LENGTH_BYTES + pass.length;
        }
        ByteBuf buf = alloc.buffer(length + 5);
        buf.writeByte(CONNECT << 4);
        writeRemainingLength(buf, length);
        writeString(buf, utf8("MQTT"));
        buf.writeByte(PROTOCOL_LEVEL_3_1_1);
        buf.writeByte(flags);
        buf.writeShort(keepAliveS);
        writeString(buf, id);
        if (will != null) {
            writeString(buf, utf8(will.topic()));
            writeString(buf, utf8(will.message()));
        }
        if (user != null) {
            writeString(buf, user);
        }
        if (pass != null) {
            writeString(buf, pass);
        }
        return buf;
    }

    public static ByteBuf subscribe(ByteBufAllocator alloc, int packetId, String topicFilter, int qos) {
        byte[] filter = utf8(topicFilter);
        int length = 2 + STRING_LENGTH_BYTES + filter.length + 1;
        ByteBuf buf = alloc.buffer(length + 5);
        buf.writeByte(SUBSCRIBE_HEADER);
        writeRemainingLength(buf, length);
        buf.writeShort(packetId);
        writeString(buf, filter);
        buf.writeByte(qos);
        return buf;
    }

    /** A PUBLISH with an arbitrary payload: for heartbeats and the misbehaving cases, not the hot path. */
    public static ByteBuf publish(ByteBufAllocator alloc, String topic, int qos, int packetId, byte[] payload) {
        byte[] t = utf8(topic);
        int length = STRING_LENGTH_BYTES + t.length + (qos > 0 ? 2 : 0) + payload.length;
        ByteBuf buf = alloc.buffer(length + 5);
        buf.writeByte((PUBLISH << 4) | (qos << 1));
        writeRemainingLength(buf, length);
        writeString(buf, t);
        if (qos > 0) {
            buf.writeShort(packetId);
        }
        buf.writeBytes(payload);
        return buf;
    }

    public static ByteBuf pingreq(ByteBufAllocator alloc) {
        return alloc.buffer(2).writeByte(PINGREQ << 4).writeByte(0);
    }

    public static ByteBuf disconnect(ByteBufAllocator alloc) {
        return alloc.buffer(2).writeByte(DISCONNECT << 4).writeByte(0);
    }

    /** [MQTT-2.2.3]: remaining length, 7 bits per byte, high bit set while more bytes follow. */
    public static void writeRemainingLength(ByteBuf buf, int length) {
        int value = length;
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            buf.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    public static int remainingLengthBytes(int length) {
        return length < 128 ? 1 : length < 16_384 ? 2 : length < 2_097_152 ? 3 : 4;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void writeString(ByteBuf buf, byte[] s) {
        buf.writeShort(s.length);
        buf.writeBytes(s);
    }

    /** A last will: published by the broker, QoS 1, when the connection drops without DISCONNECT. */
    public record Will(String topic, String message) {
    }
}
