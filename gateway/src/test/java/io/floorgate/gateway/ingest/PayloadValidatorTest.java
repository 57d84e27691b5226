package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.floorgate.config.DeviceKind;
import io.floorgate.gateway.testing.Events;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.proto.v1.Sighting;
import org.junit.jupiter.api.Test;

class PayloadValidatorTest {

    private static Rejection reasonFor(DeviceEvent.Builder event, String topicDeviceId, DeviceKind kind) {
        Invalid invalid = PayloadValidator.check(event.build(), topicDeviceId, kind);
        return invalid == null ? null : invalid.reason();
    }

    @Test
    void check_whenEventIsWellFormed_thenPasses() {
        assertThat(reasonFor(Events.nfcTap("nfc-1", 9, 1), "nfc-1", DeviceKind.NFC_READER)).isNull();
        assertThat(reasonFor(Events.sightings("ble-1", 9, 1), "ble-1", DeviceKind.BLE_RECEIVER)).isNull();
        assertThat(reasonFor(Events.feedback("k-1", 9, 1), "k-1", DeviceKind.KIOSK)).isNull();
    }

    @Test
    void check_whenRequiredFieldIsMissing_thenInvalidEvent() {
        assertThat(reasonFor(Events.nfcTap("nfc-1", 0, 1), "nfc-1", DeviceKind.NFC_READER))
                .isEqualTo(Rejection.INVALID_EVENT);
        assertThat(reasonFor(Events.nfcTap("nfc-1", 9, 0), "nfc-1", DeviceKind.NFC_READER))
                .isEqualTo(Rejection.INVALID_EVENT);
        assertThat(reasonFor(Events.nfcTap("nfc-1", 9, 1).setObservedAtMs(0), "nfc-1", DeviceKind.NFC_READER))
                .isEqualTo(Rejection.INVALID_EVENT);
        assertThat(reasonFor(Events.nfcTap("nfc-1", 9, 1).clearNfcTap(), "nfc-1", DeviceKind.NFC_READER))
                .isEqualTo(Rejection.INVALID_EVENT);
    }

    @Test
    void check_whenPayloadNamesAnotherDevice_thenInvalidEvent() {
        assertThat(reasonFor(Events.nfcTap("nfc-2", 9, 1), "nfc-1", DeviceKind.NFC_READER))
                .isEqualTo(Rejection.INVALID_EVENT);
    }

    @Test
    void check_whenBodyDoesNotFitTheDeviceKind_thenBodyNotAllowed() {
        assertThat(reasonFor(Events.sightings("nfc-1", 9, 1), "nfc-1", DeviceKind.NFC_READER))
                .isEqualTo(Rejection.BODY_NOT_ALLOWED);
        assertThat(reasonFor(Events.nfcTap("k-1", 9, 1), "k-1", DeviceKind.KIOSK))
                .isEqualTo(Rejection.BODY_NOT_ALLOWED);
    }

    @Test
    void check_whenValuesAreOutOfRange_thenInvalidEvent() {
        DeviceEvent.Builder loud = Events.sightings("ble-1", 9, 1);
        loud.getBeaconSightingsBuilder().setSightings(0, Sighting.newBuilder()
                .setObservedId(ByteString.copyFrom(new byte[16])).setRssiDbm(12));
        assertThat(reasonFor(loud, "ble-1", DeviceKind.BLE_RECEIVER)).isEqualTo(Rejection.INVALID_EVENT);

        DeviceEvent.Builder shortId = Events.sightings("ble-1", 9, 1);
        shortId.getBeaconSightingsBuilder().setSightings(0, Sighting.newBuilder()
                .setObservedId(ByteString.copyFrom(new byte[2])).setRssiDbm(-60));
        assertThat(reasonFor(shortId, "ble-1", DeviceKind.BLE_RECEIVER)).isEqualTo(Rejection.INVALID_EVENT);

        DeviceEvent.Builder emptyToken = Events.nfcTap("nfc-1", 9, 1).setNfcTap(NfcTap.newBuilder());
        assertThat(reasonFor(emptyToken, "nfc-1", DeviceKind.NFC_READER)).isEqualTo(Rejection.INVALID_EVENT);

        DeviceEvent.Builder badNps = Events.feedback("k-1", 9, 1).setKioskInteraction(KioskInteraction.newBuilder()
                .setFeedback(KioskInteraction.Feedback.newBuilder().setNps(11)));
        assertThat(reasonFor(badNps, "k-1", DeviceKind.KIOSK)).isEqualTo(Rejection.INVALID_EVENT);

        DeviceEvent.Builder noScore = Events.feedback("k-1", 9, 1).setKioskInteraction(KioskInteraction.newBuilder()
                .setFeedback(KioskInteraction.Feedback.newBuilder()));
        assertThat(reasonFor(noScore, "k-1", DeviceKind.KIOSK)).isEqualTo(Rejection.INVALID_EVENT);
    }

    /** Found by PayloadValidatorFuzzTest: a uint32 count of 2^31 or more is a negative int in Java. */
    @Test
    void check_whenSightingCountIsAboveTheRangeAsUnsigned_thenInvalidEvent() {
        DeviceEvent.Builder huge = Events.sightings("ble-1", 9, 1);
        huge.getBeaconSightingsBuilder().getSightingsBuilder(0).setCount(-2);
        assertThat(reasonFor(huge, "ble-1", DeviceKind.BLE_RECEIVER)).isEqualTo(Rejection.INVALID_EVENT);
        huge.getBeaconSightingsBuilder().getSightingsBuilder(0).setCount(10_000);
        assertThat(reasonFor(huge, "ble-1", DeviceKind.BLE_RECEIVER)).isNull();
    }

    @Test
    void check_whenHeartbeatIsOutOfRange_thenInvalidEvent() {
        assertThat(PayloadValidator.check(Events.heartbeat("ble-1", 9, 80), "ble-1")).isNull();
        assertThat(PayloadValidator.check(Events.heartbeat("ble-1", 9, 101), "ble-1").reason())
                .isEqualTo(Rejection.INVALID_EVENT);
        // Found by PayloadValidatorFuzzTest: a uint32 of 2^31 or more is a negative int in Java.
        assertThat(PayloadValidator.check(Events.heartbeat("ble-1", 9, -1), "ble-1").reason())
                .isEqualTo(Rejection.INVALID_EVENT);
        assertThat(PayloadValidator.check(Events.heartbeat("ble-2", 9, 80), "ble-1").reason())
                .isEqualTo(Rejection.INVALID_EVENT);
    }

    @Test
    void check_whenAnyKindOfDeviceAnswersACommand_thenPasses() {
        for (DeviceKind kind : DeviceKind.values()) {
            assertThat(reasonFor(Events.commandResult("d-1", 9, 1, "c-1", true), "d-1", kind)).isNull();
        }
    }

    @Test
    void check_whenCommandResultIsOutOfRange_thenInvalidEvent() {
        assertThat(reasonFor(Events.commandResult("d-1", 9, 1, "", true), "d-1", DeviceKind.KIOSK))
                .isEqualTo(Rejection.INVALID_EVENT);
        assertThat(reasonFor(Events.commandResult("d-1", 9, 1, "c".repeat(64), true), "d-1", DeviceKind.KIOSK))
                .isNull();
        assertThat(reasonFor(Events.commandResult("d-1", 9, 1, "c", true), "d-1", DeviceKind.KIOSK)).isNull();
        assertThat(reasonFor(Events.commandResult("d-1", 9, 1, "c".repeat(65), true), "d-1", DeviceKind.KIOSK))
                .isEqualTo(Rejection.INVALID_EVENT);
        DeviceEvent.Builder longest = Events.commandResult("d-1", 9, 1, "c-1", false);
        longest.getCommandResultBuilder().setDetail("d".repeat(200));
        assertThat(reasonFor(longest, "d-1", DeviceKind.KIOSK)).isNull();
        longest.getCommandResultBuilder().setDetail("d".repeat(201));
        assertThat(reasonFor(longest, "d-1", DeviceKind.KIOSK)).isEqualTo(Rejection.INVALID_EVENT);
    }
}
