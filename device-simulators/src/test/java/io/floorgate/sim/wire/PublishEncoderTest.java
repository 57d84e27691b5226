package io.floorgate.sim.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.proto.v1.DeviceEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class PublishEncoderTest {

    private static final String TOPIC = "store/s1/devices/nfc-1/events";

    @Test
    void write_whenQos1_thenFrameCarriesPacketIdAndAParsableEventOfAboutTheRequestedSize() throws Exception {
        PublishEncoder encoder = PublishEncoder.forDevice(TOPIC, 1, "nfc-1", 77, 100);
        ByteBuf out = Unpooled.buffer();
        encoder.write(out, 513, 300, 1_700_000_000_123L);

        assertThat((int) out.readUnsignedByte()).isEqualTo(0x32);
        int remaining = readRemainingLength(out);
        assertThat(out.readableBytes()).isEqualTo(remaining);
        byte[] topic = new byte[out.readUnsignedShort()];
        out.readBytes(topic);
        assertThat(new String(topic, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(TOPIC);
        assertThat(out.readUnsignedShort()).isEqualTo(513);
        byte[] payload = new byte[out.readableBytes()];
        out.readBytes(payload);
        DeviceEvent event = DeviceEvent.parseFrom(payload);
        assertThat(event.getDeviceId()).isEqualTo("nfc-1");
        assertThat(event.getSeq()).isEqualTo(300);
        assertThat(event.getBootId()).isEqualTo(77);
        assertThat(event.getObservedAtMs()).isEqualTo(1_700_000_000_123L);
        assertThat(event.hasNfcTap()).isTrue();
        assertThat(payload.length).isBetween(90, 110);
        // byte for byte what protobuf itself writes
        assertThat(payload).isEqualTo(event.toByteArray());
    }

    @Test
    void write_whenQos0_thenBeaconSightingsWithoutPacketId() throws Exception {
        PublishEncoder encoder = PublishEncoder.forDevice(TOPIC, 0, "ble-1", 5, 100);
        ByteBuf out = Unpooled.buffer();
        encoder.write(out, 0, 1, 1_700_000_000_000L);
        assertThat((int) out.readUnsignedByte()).isEqualTo(0x30);
        readRemainingLength(out);
        out.skipBytes(out.readUnsignedShort());
        byte[] payload = new byte[out.readableBytes()];
        out.readBytes(payload);
        DeviceEvent event = DeviceEvent.parseFrom(payload);
        assertThat(event.getBeaconSightings().getSightingsCount()).isPositive();
        assertThat(payload.length).isBetween(90, 130);
    }

    private static int readRemainingLength(ByteBuf in) {
        int value = 0;
        int shift = 0;
        int digit;
        do {
            digit = in.readUnsignedByte();
            value |= (digit & 0x7F) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        return value;
    }
}
