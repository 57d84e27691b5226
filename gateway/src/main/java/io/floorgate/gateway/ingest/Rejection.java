package io.floorgate.gateway.ingest;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;

/**
 * Why the gateway refused a connection or a message. The label is the {@code reason} of
 * {@code floorgate_ingest_rejected_total}.
 */
public enum Rejection {
    // Refused at CONNECT.
    UNKNOWN_DEVICE("unknown_device", null),
    BAD_SECRET("bad_secret", null),
    CLIENT_ID_MISMATCH("client_id_mismatch", null),
    SERVER_BUSY("server_busy", null),
    /** A will on a topic other than the device's own status topic: the gateway would publish it as the device. */
    FOREIGN_WILL("foreign_will", null),
    // Refused at the socket, before or whatever the CONNECT: the connection is closed; the device label is unknown.
    CONNECTION_RATE("connection_rate", null),
    CONNECTION_CAP("connection_cap", null),
    CONNECT_TIMEOUT("connect_timeout", null),
    /** A fixed header announcing more than the packet limit: closed before a byte of it is buffered. */
    PACKET_TOO_LARGE("packet_too_large", null),
    /** A packet the MQTT decoder cannot read [MQTT-4.8.0-1]. */
    MALFORMED_PACKET("malformed_packet", null),
    /** A PUBLISH topic with + or # [MQTT-3.3.2-2]; Netty's decoder refuses it, so it is seen before the device. */
    TOPIC_WILDCARD("topic_wildcard", null),
    /** Nothing heard for 1.5 times the keep-alive [MQTT-3.1.2-24]: a half-open connection. */
    IDLE_TIMEOUT("idle_timeout", null),
    /** The gateway's write buffer to a client that does not read went over maxWriteBufferBytes. */
    SLOW_READER("slow_reader", null),
    // Protocol violations of a connected device: the connection is closed.
    /** A topic that is not well-formed UTF-8, or holds U+0000 [MQTT-1.5.3-1], [MQTT-1.5.3-2]. */
    BAD_UTF8("bad_utf8", null),
    /** Devices publish at QoS 0 or 1; MQTT 5 clients are told so in CONNACK (Maximum QoS 1) [MQTT-3.2.2-11]. */
    QOS2_NOT_SUPPORTED("qos2_not_supported", null),
    PING_FLOOD("ping_flood", null),
    /** More unacknowledged QoS 1 messages waiting than {@code DeviceConnection.MAX_HELD} [MQTT-4.9.0-2]. */
    HELD_OVERFLOW("held_overflow", null),
    // Refused per subscription: SUBACK failure, connection kept.
    SUBSCRIBE_REFUSED("subscribe_refused", null),
    // Refused per message: dropped and counted; a QoS 1 message is still acknowledged so the
    // device does not stall, with the reason code where MQTT 5 has one.
    BAD_TOPIC("bad_topic", MqttPubAckReasonCode.TOPIC_NAME_INVALID),
    FOREIGN_TOPIC("foreign_topic", MqttPubAckReasonCode.NOT_AUTHORIZED),
    OVERSIZE("oversize", MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID),
    NOT_PROTOBUF("not_protobuf", MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID),
    INVALID_EVENT("invalid_event", MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID),
    BODY_NOT_ALLOWED("body_not_allowed", MqttPubAckReasonCode.NOT_AUTHORIZED),
    RATE_LIMITED("rate_limited", MqttPubAckReasonCode.QUOTA_EXCEEDED),
    DUPLICATE("duplicate", null),
    STORE_FAILED("store_failed", null),
    // A packet Vert.x MQTT refuses by throwing rather than answering (a packet before CONNECT, a second CONNECT, an
    // unknown MQTT 5 reason code); which device sent it is not known there.
    PROTOCOL_VIOLATION("protocol_violation", null);

    private final String label;
    private final MqttPubAckReasonCode pubAckCode;

    Rejection(String label, MqttPubAckReasonCode pubAckCode) {
        this.label = label;
        this.pubAckCode = pubAckCode;
    }

    public String label() {
        return label;
    }

    /** The MQTT 5 PUBACK reason code for a refused message; null: acknowledge as success (duplicates). */
    MqttPubAckReasonCode pubAckCode() {
        return pubAckCode;
    }

    /** CONNACK code for a refused connection, in the spelling of the client's protocol version. */
    MqttConnectReturnCode connAckCode(int protocolVersion) {
        boolean v5 = ProtocolVersion.isMqtt5(protocolVersion);
        if (this == SERVER_BUSY) {
            return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
        }
        if (this == FOREIGN_WILL) {
            return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        }
        if (this == CLIENT_ID_MISMATCH || this == UNKNOWN_DEVICE || this == BAD_SECRET) {
            // [MQTT-3.1.4-2] one answer for every credential failure, so a scanner learns nothing
            // about which device ids exist.
            return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        }
        throw new IllegalStateException(label + " is not a connect-time rejection");
    }
}
