package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.google.protobuf.InvalidProtocolBufferException;
import io.floorgate.config.DeviceKind;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Heartbeat;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.Sighting;

/**
 * The payload validator against the ranges {@code device.proto} promises consumers, on any bytes a device may publish:
 * a payload is accepted exactly when it keeps every promise. The promises are written out again here, as the proto
 * states them (unsigned fields read as unsigned), so that a range the validator reads differently shows up as a
 * finding instead of being copied. In the normal build this replays the committed inputs under
 * {@code PayloadValidatorFuzzTestInputs}; {@code gateway/bench/fuzz.sh} fuzzes it.
 */
class PayloadValidatorFuzzTest {

    private static final String DEVICE = "dev-1";

    /**
     * Structure-aware: Jazzer builds and mutates the message itself (every field, unknown ones too), which reaches the
     * range edges (negative, huge unsigned) far sooner than byte mutations of an encoded payload would. The event
     * goes through its wire form, as a device's would.
     */
    @FuzzTest
    void deviceEvent_isAcceptedExactlyWhenItKeepsTheProtoContract(@NotNull DeviceEvent.Builder built,
                                                                  @NotNull DeviceKind kind, boolean validHeader)
            throws InvalidProtocolBufferException {
        if (validHeader) {
            // Half the inputs get a header that passes, so that the fuzzer's effort goes into the bodies: a body
            // is only judged once device id, boot id, seq and time are right.
            built.setDeviceId(DEVICE).setBootId(built.getBootId() == 0 ? 1 : built.getBootId())
                    .setSeq(Math.max(1, built.getSeq() & Long.MAX_VALUE))
                    .setObservedAtMs(Math.max(1, built.getObservedAtMs()));
        }
        DeviceEvent event = DeviceEvent.parseFrom(built.build().toByteArray());

        Invalid invalid = PayloadValidator.check(event, DEVICE, kind);

        List<String> broken = brokenPromises(event, kind);
        assertThat(invalid == null).as("accepted %s from a %s; broken promises: %s; validator said: %s",
                event, kind, broken, invalid).isEqualTo(broken.isEmpty());
        if (invalid != null) {
            assertThat(invalid.reason()).isIn(Rejection.INVALID_EVENT, Rejection.BODY_NOT_ALLOWED);
            assertThat(invalid.detail()).isNotBlank();
        }
    }

    /** The payload of a device's health topic. */
    @FuzzTest
    void heartbeat_isAcceptedExactlyWhenItKeepsTheProtoContract(@NotNull Heartbeat.Builder built, boolean validHeader)
            throws InvalidProtocolBufferException {
        if (validHeader) {
            built.setDeviceId(DEVICE).setBootId(built.getBootId() == 0 ? 1 : built.getBootId())
                    .setSentAtMs(Math.max(1, built.getSentAtMs()));
        }
        Heartbeat heartbeat = Heartbeat.parseFrom(built.build().toByteArray());

        Invalid invalid = PayloadValidator.check(heartbeat, DEVICE);

        List<String> broken = brokenPromises(heartbeat);
        assertThat(invalid == null).as("accepted %s; broken promises: %s; validator said: %s",
                heartbeat, broken, invalid).isEqualTo(broken.isEmpty());
        if (invalid != null) {
            assertThat(invalid.reason()).isEqualTo(Rejection.INVALID_EVENT);
        }
    }

    /** device.proto's promises about a DeviceEvent from a device of this kind, each one it breaks. */
    private static List<String> brokenPromises(DeviceEvent e, DeviceKind kind) {
        List<String> broken = new ArrayList<>();
        promise(broken, e.getDeviceId().equals(DEVICE), "device_id is the topic's");
        promise(broken, e.getBootId() != 0, "boot_id non-zero");
        // uint64: 1..2^63-1 read unsigned is a positive long
        promise(broken, Long.compareUnsigned(e.getSeq(), 1) >= 0
                && Long.compareUnsigned(e.getSeq(), Long.MAX_VALUE) <= 0, "seq 1..2^63-1");
        promise(broken, e.getObservedAtMs() > 0, "observed_at_ms > 0");
        switch (e.getBodyCase()) {
            case BEACON_SIGHTINGS -> {
                promise(broken, kind == DeviceKind.BLE_RECEIVER, "sightings from BLE receivers only");
                sightings(broken, e.getBeaconSightings());
            }
            case NFC_TAP -> {
                promise(broken, kind == DeviceKind.NFC_READER, "taps from NFC readers only");
                promise(broken, between(e.getNfcTap().getToken().size(), 1, 256), "token 1..256 bytes");
            }
            case KIOSK_INTERACTION -> {
                promise(broken, kind == DeviceKind.KIOSK, "interactions from kiosks only");
                kiosk(broken, e.getKioskInteraction());
            }
            case COMMAND_RESULT -> {
                promise(broken, between(e.getCommandResult().getCommandId().length(), 1, 64), "command_id 1..64");
                promise(broken, e.getCommandResult().getDetail().length() <= 200, "detail 0..200");
            }
            case BODY_NOT_SET -> promise(broken, false, "one body is set");
        }
        return broken;
    }

    private static void sightings(List<String> broken, BeaconSightings batch) {
        promise(broken, between(Integer.toUnsignedLong(batch.getWindowMs()), 1, 60_000), "window_ms 1..60000");
        promise(broken, batch.getSightingsCount() <= 1024, "at most 1024 sightings");
        for (Sighting s : batch.getSightingsList()) {
            promise(broken, between(s.getObservedId().size(), 4, 32), "observed_id 4..32 bytes");
            promise(broken, between(s.getRssiDbm(), -127, 0), "rssi_dbm -127..0");
            promise(broken, between(s.getTxPowerDbm(), -127, 20), "tx_power_dbm -127..20");
            // "1..10000. 0 is read as 1."
            promise(broken, Integer.toUnsignedLong(s.getCount()) <= 10_000, "count 0..10000");
        }
    }

    private static void kiosk(List<String> broken, KioskInteraction k) {
        switch (k.getActionCase()) {
            case SESSION_SCAN -> promise(broken, between(k.getSessionScan().getSessionToken().size(), 1, 256),
                    "session_token 1..256 bytes");
            case PRODUCT_LOOKUP -> promise(broken, between(k.getProductLookup().getSku().length(), 1, 64),
                    "sku 1..64");
            case PICKUP_CHECK_IN -> promise(broken, between(k.getPickupCheckIn().getOrderCode().length(), 1, 64),
                    "order_code 1..64");
            case FEEDBACK -> {
                KioskInteraction.Feedback f = k.getFeedback();
                promise(broken, f.hasCsat() || f.hasNps() || f.hasCes(), "at least one score");
                promise(broken, !f.hasCsat() || between(Integer.toUnsignedLong(f.getCsat()), 1, 5), "csat 1..5");
                promise(broken, !f.hasNps() || between(Integer.toUnsignedLong(f.getNps()), 0, 10), "nps 0..10");
                promise(broken, !f.hasCes() || between(Integer.toUnsignedLong(f.getCes()), 1, 7), "ces 1..7");
            }
            case ACTION_NOT_SET -> promise(broken, false, "one action is set");
        }
    }

    /**
     * A Heartbeat's promises. The firmware may be left empty (a device that does not report it; the health tracker
     * stores it as unknown), so 0..32 characters rather than the proto comment's 1..32.
     */
    private static List<String> brokenPromises(Heartbeat h) {
        List<String> broken = new ArrayList<>();
        promise(broken, h.getDeviceId().equals(DEVICE), "device_id is the topic's");
        promise(broken, h.getBootId() != 0, "boot_id non-zero");
        promise(broken, h.getSentAtMs() > 0, "sent_at_ms > 0");
        promise(broken, !h.hasBatteryPct() || between(Integer.toUnsignedLong(h.getBatteryPct()), 0, 100),
                "battery_pct 0..100");
        promise(broken, h.getFirmware().length() <= 32, "firmware 0..32 characters");
        promise(broken, !h.hasWifiRssiDbm() || between(h.getWifiRssiDbm(), -127, 0), "wifi_rssi_dbm -127..0");
        return broken;
    }

    private static void promise(List<String> broken, boolean kept, String promise) {
        if (!kept) {
            broken.add(promise);
        }
    }

    private static boolean between(long value, long min, long max) {
        return value >= min && value <= max;
    }
}
