package io.floorgate.sim.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.proto.v1.Sighting;
import io.netty.buffer.ByteBuf;

/**
 * Writes PUBLISH packets carrying real DeviceEvents at benchmark speed: everything that does not
 * change between messages (topic, device id, boot id, body) is encoded once, and only seq and
 * observed_at_ms are written per message, straight into the outgoing buffer. The result is the
 * same bytes protobuf would produce (fields in number order, canonical varints).
 */
public final class PublishEncoder {

    private static final int SEQ_TAG = (2 << 3);
    private static final int OBSERVED_AT_TAG = (3 << 3);
    private static final int SIGHTING_ID_BYTES = 16;
    private static final int TX_POWER_DBM = -59;
    private static final int TYPICAL_RSSI_DBM = -72;
    /** A pad never shrinks a body below one sighting or a one-byte token: the gateway would reject it. */
    private static final int MIN_TOKEN_BYTES = 1;
    private static final int MAX_TOKEN_BYTES = 256;

    private final byte[] topic;
    private final int qos;
    private final byte[] deviceIdField;
    private final byte[] bootIdField;
    private final byte[] bodyField;

    private PublishEncoder(String topic, int qos, String deviceId, long bootId, byte[] bodyField) {
        this.topic = MqttFrames.utf8(topic);
        this.qos = qos;
        this.deviceIdField = DeviceEvent.newBuilder().setDeviceId(deviceId).build().toByteArray();
        this.bootIdField = DeviceEvent.newBuilder().setBootId(bootId).build().toByteArray();
        this.bodyField = bodyField;
    }

    /**
     * An encoder whose events are about {@code payloadBytes} long: BeaconSightings for QoS 0 (what
     * receivers send at QoS 0), NfcTap for QoS 1.
     */
    public static PublishEncoder forDevice(String topic, int qos, String deviceId, long bootId, int payloadBytes) {
        int fixed = DeviceEvent.newBuilder().setDeviceId(deviceId).setBootId(bootId).setSeq(1_000_000)
                .setObservedAtMs(System.currentTimeMillis()).build().getSerializedSize();
        int bodyBudget = Math.max(0, payloadBytes - fixed);
        byte[] body = qos == 0 ? sightingsField(bodyBudget) : tapField(bodyBudget);
        return new PublishEncoder(topic, qos, deviceId, bootId, body);
    }

    /** A QoS 0 encoder whose every event carries this batch, e.g. the current ids of checked-in shoppers. */
    public static PublishEncoder forSightings(String topic, String deviceId, long bootId, BeaconSightings batch) {
        return new PublishEncoder(topic, 0, deviceId, bootId,
                DeviceEvent.newBuilder().setBeaconSightings(batch).build().toByteArray());
    }

    private static byte[] sightingsField(int budget) {
        BeaconSightings.Builder sightings = BeaconSightings.newBuilder().setWindowMs(1000);
        int i = 0;
        do {
            byte[] id = new byte[SIGHTING_ID_BYTES];
            id[0] = (byte) i;
            id[1] = (byte) (i >> 8);
            sightings.addSightings(Sighting.newBuilder().setObservedId(ByteString.copyFrom(id))
                    .setRssiDbm(TYPICAL_RSSI_DBM - (i % 20)).setTxPowerDbm(TX_POWER_DBM).setCount(4));
            i++;
        } while (DeviceEvent.newBuilder().setBeaconSightings(sightings).build().getSerializedSize() < budget);
        return DeviceEvent.newBuilder().setBeaconSightings(sightings).build().toByteArray();
    }

    private static byte[] tapField(int budget) {
        // field tag, two length bytes (body and token), the kind field: about six bytes of framing
        int tokenBytes = Math.max(MIN_TOKEN_BYTES, Math.min(MAX_TOKEN_BYTES, budget - 6));
        byte[] token = new byte[tokenBytes];
        for (int i = 0; i < token.length; i++) {
            token[i] = (byte) (i * 31 + 7);
        }
        // A token the gateway stores and acknowledges, as the benchmark means: a session token it would try to
        // resolve, and one of no session it drops unstored.
        return DeviceEvent.newBuilder().setNfcTap(NfcTap.newBuilder().setToken(ByteString.copyFrom(token))
                .setKind(NfcTap.TokenKind.TOKEN_KIND_UNSPECIFIED)).build().toByteArray();
    }

    /** Size of the event written by {@link #write} for this seq and time. */
    public int payloadSize(long seq, long observedAtMs) {
        return deviceIdField.length + 1 + CodedOutputStream.computeUInt64SizeNoTag(seq)
                + 1 + CodedOutputStream.computeInt64SizeNoTag(observedAtMs) + bootIdField.length + bodyField.length;
    }

    /** Appends one complete PUBLISH packet to {@code out}. */
    public void write(ByteBuf out, int packetId, long seq, long observedAtMs) {
        int payload = payloadSize(seq, observedAtMs);
        int remaining = 2 + topic.length + (qos > 0 ? 2 : 0) + payload;
        out.writeByte((MqttFrames.PUBLISH << 4) | (qos << 1));
        MqttFrames.writeRemainingLength(out, remaining);
        out.writeShort(topic.length);
        out.writeBytes(topic);
        if (qos > 0) {
            out.writeShort(packetId);
        }
        out.writeBytes(deviceIdField);
        out.writeByte(SEQ_TAG);
        writeVarint(out, seq);
        out.writeByte(OBSERVED_AT_TAG);
        writeVarint(out, observedAtMs);
        out.writeBytes(bootIdField);
        out.writeBytes(bodyField);
    }

    /** Upper bound of one packet's size, for sizing buffers. */
    public int maxPacketSize() {
        return 1 + 4 + 2 + topic.length + 2 + payloadSize(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    private static void writeVarint(ByteBuf out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }
}
