package io.floorgate.gateway.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.gateway.ingest.Rejection;
import org.junit.jupiter.api.Test;

class RejectionStormsTest {

    private final RejectionStorms storms = new RejectionStorms();

    private void reject(Rejection reason, String device, int times) {
        for (int i = 0; i < times; i++) {
            storms.rejected(reason, device);
        }
    }

    @Test
    void closeWindow_whenCredentialRefusalsReachTheThreshold_thenUnknownDeviceStorm() {
        reject(Rejection.UNKNOWN_DEVICE, "unknown", RejectionStorms.UNKNOWN_DEVICE_THRESHOLD - 2);
        reject(Rejection.BAD_SECRET, "ble-1", 1);
        reject(Rejection.CLIENT_ID_MISMATCH, "unknown", 1);

        RejectionStorms.Window window = storms.closeWindow();

        assertThat(window.unknownDeviceStorm()).isTrue();
        assertThat(window.unknownDeviceRefusals()).isEqualTo(RejectionStorms.UNKNOWN_DEVICE_THRESHOLD);
    }

    @Test
    void closeWindow_whenBelowTheThresholds_thenNoStormAndTheNextWindowStartsFromZero() {
        reject(Rejection.UNKNOWN_DEVICE, "unknown", RejectionStorms.UNKNOWN_DEVICE_THRESHOLD - 1);
        reject(Rejection.RATE_LIMITED, "ble-1", RejectionStorms.FLOOD_THRESHOLD - 1);
        reject(Rejection.NOT_PROTOBUF, "ble-1", RejectionStorms.FLOOD_THRESHOLD);

        RejectionStorms.Window window = storms.closeWindow();
        reject(Rejection.UNKNOWN_DEVICE, "unknown", 1);
        reject(Rejection.RATE_LIMITED, "ble-1", 1);
        RejectionStorms.Window next = storms.closeWindow();

        assertThat(window.unknownDeviceStorm()).isFalse();
        assertThat(window.floods()).isEmpty();
        assertThat(next.unknownDeviceRefusals()).isEqualTo(1);
        assertThat(next.floods()).isEmpty();
    }

    @Test
    void closeWindow_whenOneDeviceIsRefusedForItsRate_thenOnlyThatDeviceFloods() {
        reject(Rejection.RATE_LIMITED, "ble-1", RejectionStorms.FLOOD_THRESHOLD);
        reject(Rejection.RATE_LIMITED, "ble-2", 3);

        assertThat(storms.closeWindow().floods()).containsOnlyKeys("ble-1")
                .containsEntry("ble-1", (long) RejectionStorms.FLOOD_THRESHOLD);
    }
}
