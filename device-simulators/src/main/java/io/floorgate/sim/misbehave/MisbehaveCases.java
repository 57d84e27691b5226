package io.floorgate.sim.misbehave;

import com.google.protobuf.ByteString;
import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.StoreConfig;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Sighting;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;

/**
 * The bad inputs, in the order they are played. The expected answers are the gateway contract:
 * credential failures are refused at CONNACK; bad payloads and topics are dropped, counted and
 * (QoS 1) still acknowledged so the device does not stall; QoS 0 over the rate is dropped, QoS 1
 * over the rate is acknowledged late.
 */
public final class MisbehaveCases {

    public static final String REJECTED = "floorgate_ingest_rejected_total";
    public static final String THROTTLED = "floorgate_ingest_throttled_total";
    private static final Set<Answer.Kind> REFUSED = Set.of(Answer.Kind.REFUSED);
    private static final Set<Answer.Kind> ACKED = Set.of(Answer.Kind.ACKED);
    /** MQTT 3.1.1 cannot say no to a PUBLISH [MQTT-3.3.5-2]: a server may acknowledge and drop, or disconnect. */
    private static final Set<Answer.Kind> ACKED_OR_CLOSED = Set.of(Answer.Kind.ACKED, Answer.Kind.CLOSED);
    /** Binary that cannot be protobuf: field number 0 is invalid in any message. */
    private static final byte[] NOT_PROTOBUF = {0x00, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    /** Extra messages beyond the burst in a flood: enough to be throttled, few enough to drain in seconds. */
    private static final int FLOOD_OVER_BURST = 100;

    private MisbehaveCases() {
    }

    /**
     * @param store needs at least three NFC readers (one is the well-behaved device) and one BLE receiver
     */
    public static List<MisbehaveCase> all(StoreConfig store, Device wellBehaved) {
        List<Device> readers = store.devices().stream()
                .filter(d -> d.kind() == DeviceKind.NFC_READER && !d.equals(wellBehaved)).toList();
        Device receiver = store.devices().stream().filter(d -> d.kind() == DeviceKind.BLE_RECEIVER).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("misbehave needs a BLE receiver in the store"));
        if (readers.size() < 2) {
            throw new IllegalArgumentException("misbehave needs three NFC readers in the store");
        }
        Device bad = readers.get(0);
        Device flooder = readers.get(1);
        String storeId = store.storeId();
        int burst = store.limits().devicePublishBurst();
        List<MisbehaveCase> cases = new ArrayList<>();

        cases.add(new MisbehaveCase("unknown-device", "CONNECT as no-such-device", REFUSED, REJECTED,
                "unknown_device", 1, p -> p.connectAnswer("no-such-device", "no-such-device", "no-such-secret-1")));
        cases.add(new MisbehaveCase("wrong-secret", "CONNECT as " + bad.id() + " with a wrong password", REFUSED,
                REJECTED, "bad_secret", 1, p -> p.connectAnswer(bad.id(), bad.id(), "wrong-secret-0000")));
        cases.add(new MisbehaveCase("client-id-mismatch", "CONNECT client id " + bad.id() + ", user " + flooder.id(),
                REFUSED, REJECTED, "client_id_mismatch", 1,
                p -> p.connectAnswer(bad.id(), flooder.id(), flooder.secret())));

        cases.add(qos1("foreign-topic", "valid tap on " + wellBehaved.id() + "'s topic", ACKED_OR_CLOSED,
                "foreign_topic", p -> p.publishQos1(bad, p.eventsTopic(wellBehaved),
                        p.tap(bad, Probe.freshBootId(), 1).build().toByteArray())));
        cases.add(qos1("unknown-channel", "valid tap on .../" + bad.id() + "/telemetry", ACKED_OR_CLOSED,
                "bad_topic", p -> p.publishQos1(bad, p.topic(bad.id(), "telemetry"),
                        p.tap(bad, Probe.freshBootId(), 1).build().toByteArray())));
        cases.add(qos1("other-store", "valid tap on store/not-" + storeId + "/...", ACKED_OR_CLOSED, "bad_topic",
                p -> p.publishQos1(bad, "store/not-" + storeId + "/devices/" + bad.id() + "/events",
                        p.tap(bad, Probe.freshBootId(), 1).build().toByteArray())));

        cases.add(qos1("not-protobuf", NOT_PROTOBUF.length + " bytes that are not protobuf", ACKED,
                "not_protobuf", p -> p.publishQos1(bad, p.eventsTopic(bad), NOT_PROTOBUF)));
        cases.add(invalid(bad, "missing-device-id", "tap without device_id", b -> b.clearDeviceId()));
        cases.add(invalid(bad, "seq-zero", "tap with seq 0", b -> b.setSeq(0)));
        cases.add(invalid(bad, "observed-at-zero", "tap with observed_at_ms 0", b -> b.setObservedAtMs(0)));
        cases.add(invalid(bad, "device-id-not-topic", "tap with device_id " + flooder.id() + " on " + bad.id()
                + "'s topic", b -> b.setDeviceId(flooder.id())));
        cases.add(qos1("body-not-allowed", "NFC reader sends beacon sightings", ACKED, "body_not_allowed",
                p -> p.publishQos1(bad, p.eventsTopic(bad), p.tap(bad, Probe.freshBootId(), 1)
                        .setBeaconSightings(BeaconSightings.newBuilder().setWindowMs(1000).addSightings(
                                Sighting.newBuilder().setObservedId(ByteString.copyFrom(new byte[16]))
                                        .setRssiDbm(-70).setCount(1)))
                        .build().toByteArray())));
        int oversize = store.limits().maxEventBytes() + 1;
        cases.add(qos1("oversize", oversize + " bytes (limit " + store.limits().maxEventBytes() + ")",
                ACKED_OR_CLOSED, "oversize", p -> p.publishQos1(bad, p.eventsTopic(bad), new byte[oversize])));

        cases.add(qos1("duplicate-seq", "seq 1 twice in one boot", ACKED, "duplicate", p -> {
            MqttAsyncClient client = p.connect(bad);
            try {
                byte[] event = p.tap(bad, Probe.freshBootId(), 1).build().toByteArray();
                Answer first = p.publishQos1(client, p.eventsTopic(bad), event);
                return first.kind() != Answer.Kind.ACKED ? first : p.publishQos1(client, p.eventsTopic(bad), event);
            } finally {
                Probe.close(client);
            }
        }));
        cases.add(new MisbehaveCase("reboot", "seq 5, then a new boot_id with seq 1 (must be accepted)", ACKED,
                REJECTED, "duplicate", 0, p -> {
                    MqttAsyncClient client = p.connect(bad);
                    try {
                        Answer before = p.publishQos1(client, p.eventsTopic(bad),
                                p.tap(bad, Probe.freshBootId(), 5).build().toByteArray());
                        return before.kind() != Answer.Kind.ACKED ? before : p.publishQos1(client, p.eventsTopic(bad),
                                p.tap(bad, Probe.freshBootId(), 1).build().toByteArray());
                    } finally {
                        Probe.close(client);
                    }
                }));

        int flood = burst + FLOOD_OVER_BURST;
        cases.add(new MisbehaveCase("flood-qos0", flood + " sightings at QoS 0 at once (burst " + burst + ")",
                Set.of(Answer.Kind.STILL_CONNECTED), REJECTED, "rate_limited", 1, p -> {
                    MqttAsyncClient client = p.connect(receiver);
                    try {
                        DeviceEvent.Builder event = p.tap(receiver, Probe.freshBootId(), 1).setBeaconSightings(
                                BeaconSightings.newBuilder().setWindowMs(1000).addSightings(Sighting.newBuilder()
                                        .setObservedId(ByteString.copyFrom(new byte[16])).setRssiDbm(-70).setCount(1)));
                        IMqttDeliveryToken last = null;
                        for (int seq = 1; seq <= flood; seq++) {
                            last = client.publish(p.eventsTopic(receiver), event.setSeq(seq).build().toByteArray(), 0,
                                    false);
                        }
                        last.waitForCompletion(Probe.ACK_TIMEOUT.toMillis());
                        Thread.sleep(500);
                        return client.isConnected() ? new Answer(Answer.Kind.STILL_CONNECTED, "")
                                : new Answer(Answer.Kind.CLOSED, "connection closed");
                    } finally {
                        Probe.close(client);
                    }
                }));
        cases.add(new MisbehaveCase("flood-qos1", flood + " taps at QoS 1 at once (burst " + burst + ")", ACKED,
                THROTTLED, null, 1, p -> {
                    MqttAsyncClient client = p.connect(flooder);
                    try {
                        long boot = Probe.freshBootId();
                        long start = System.nanoTime();
                        List<IMqttDeliveryToken> tokens = new ArrayList<>();
                        for (int seq = 1; seq <= flood; seq++) {
                            tokens.add(client.publish(p.eventsTopic(flooder),
                                    p.tap(flooder, boot, seq).build().toByteArray(), 1, false));
                        }
                        double excess = FLOOD_OVER_BURST / p.store().limits().devicePublishRate();
                        for (IMqttDeliveryToken t : tokens) {
                            t.waitForCompletion(Probe.ACK_TIMEOUT.toMillis() + (long) (excess * 1000));
                        }
                        return new Answer(Answer.Kind.ACKED, String.format(
                                "all %d PUBACKs, the last after %.0f ms (rate allows %.0f ms)", flood,
                                (System.nanoTime() - start) / 1e6, excess * 1000));
                    } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                        return new Answer(client.isConnected() ? Answer.Kind.NO_ACK : Answer.Kind.CLOSED,
                                e.getMessage());
                    } finally {
                        Probe.close(client);
                    }
                }));
        return cases;
    }

    private static MisbehaveCase qos1(String name, String sent, Set<Answer.Kind> expected,
                                      String reason, MisbehaveCase.Play play) {
        return new MisbehaveCase(name, sent, expected, REJECTED, reason, 1, play);
    }

    private static MisbehaveCase invalid(Device bad, String name, String sent,
                                         java.util.function.Consumer<DeviceEvent.Builder> spoil) {
        return qos1(name, sent, ACKED, "invalid_event", p -> {
            DeviceEvent.Builder event = p.tap(bad, Probe.freshBootId(), 1);
            spoil.accept(event);
            return p.publishQos1(bad, p.eventsTopic(bad), event.build().toByteArray());
        });
    }
}
