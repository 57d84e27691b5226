package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.testing.TestStore;
import io.floorgate.proto.v1.Heartbeat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The device health read view: every configured device, as the tracker and ingest's refusals last saw it. */
class DeviceHealthTrackerTest {

    private static final long T0 = 1_000_000;

    private final AtomicReference<StoreConfig> config = new AtomicReference<>(TestStore.config());
    private final IngestMetrics ingest = new IngestMetrics(new SimpleMeterRegistry());
    private final DeviceHealthTracker tracker = new DeviceHealthTracker(config::get, ingest, new SimpleMeterRegistry());

    @Test
    void devices_whenNoDeviceWasHeard_thenEveryConfiguredDeviceIsOfflineAndNeverSeen() {
        List<DeviceHealth> devices = tracker.devices();

        assertThat(devices).extracting(DeviceHealth::deviceId)
                .containsExactly(TestStore.BLE, TestStore.BLE_2, TestStore.NFC, TestStore.KIOSK);
        assertThat(devices).allSatisfy(d -> {
            assertThat(d.online()).isFalse();
            assertThat(d.lastSeenMs()).isEmpty();
            assertThat(d.bootId()).isEmpty();
            assertThat(d.batteryPct()).isEmpty();
            assertThat(d.firmware()).isEmpty();
            assertThat(d.rejectedInputs()).isZero();
        });
    }

    @Test
    void device_whenHeartbeatThenMessageThenDisconnect_thenOfflineKeepsTheHeartbeatAndTheLastMessageTime() {
        tracker.connected(TestStore.BLE, T0);
        tracker.heartbeat(Heartbeat.newBuilder().setDeviceId(TestStore.BLE).setBootId(7).setBatteryPct(63)
                .setFirmware("1.2.3").build(), T0 + 10);
        assertThat(tracker.device(TestStore.BLE)).contains(new DeviceHealth(TestStore.BLE, true,
                OptionalLong.of(T0 + 10), OptionalLong.of(7), OptionalInt.of(63), Optional.of("1.2.3"), 0));

        tracker.seen(TestStore.BLE, T0 + 20);
        tracker.disconnected(TestStore.BLE, T0 + 30);

        assertThat(tracker.device(TestStore.BLE)).contains(new DeviceHealth(TestStore.BLE, false,
                OptionalLong.of(T0 + 20), OptionalLong.of(7), OptionalInt.of(63), Optional.of("1.2.3"), 0));
        assertThat(tracker.connectedCount()).isZero();
    }

    @Test
    void device_whenConnectedWithoutHeartbeat_thenOnlineSeenWithNoHeartbeatFields() {
        tracker.connected(TestStore.NFC, T0);

        DeviceHealth nfc = tracker.device(TestStore.NFC).orElseThrow();
        assertThat(nfc.online()).isTrue();
        assertThat(nfc.lastSeenMs()).hasValue(T0);
        assertThat(nfc.bootId()).isEmpty();
        assertThat(nfc.batteryPct()).isEmpty();
        assertThat(nfc.firmware()).isEmpty();
    }

    @Test
    void devices_whenIngestRefusedADevicesInputs_thenEachDeviceCountsOnlyItsOwn() {
        ingest.rejected(Rejection.OVERSIZE, TestStore.KIOSK);
        ingest.rejected(Rejection.RATE_LIMITED, TestStore.KIOSK);
        ingest.rejected(Rejection.UNKNOWN_DEVICE, IngestMetrics.UNKNOWN_DEVICE);

        assertThat(tracker.device(TestStore.KIOSK).orElseThrow().rejectedInputs()).isEqualTo(2);
        assertThat(tracker.devices()).filteredOn(d -> !d.deviceId().equals(TestStore.KIOSK))
                .allSatisfy(d -> assertThat(d.rejectedInputs()).isZero());
    }

    @Test
    void device_whenTheIdIsNotConfigured_thenIsEmpty() {
        tracker.connected("not-configured", T0);

        assertThat(tracker.device("not-configured")).isEmpty();
        assertThat(tracker.devices()).extracting(DeviceHealth::deviceId).doesNotContain("not-configured");
    }

    @Test
    void devices_whenTheConfigurationIsReloadedWithoutADevice_thenThatDeviceIsNoLongerAnswered() {
        StoreConfig full = config.get();
        config.set(new StoreConfig(full.source(), full.storeId(), full.chainId(), full.name(), full.floorPlan(),
                full.zones(), full.devices().subList(0, 1), full.products(), full.pickup(), full.limits(),
                full.listeners(), full.ingest(), full.upstream(), full.retention(), full.sessions()));

        assertThat(tracker.devices()).extracting(DeviceHealth::deviceId).containsExactly(TestStore.BLE);
        assertThat(tracker.device(TestStore.KIOSK)).isEmpty();
    }

    @Test
    void devices_whenAnswered_thenIsAnImmutableSnapshotThatLaterMessagesDoNotChange() {
        tracker.connected(TestStore.BLE, T0);
        List<DeviceHealth> before = tracker.devices();

        tracker.disconnected(TestStore.BLE, T0 + 10);

        assertThat(before.get(0).online()).isTrue();
        assertThat(tracker.devices().get(0).online()).isFalse();
        assertThatThrownBy(() -> before.add(before.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejections_whenCounted_thenEveryReasonIsAnsweredAndDevicesSumTheirReasons() {
        ingest.rejected(Rejection.OVERSIZE, TestStore.KIOSK);
        ingest.rejected(Rejection.OVERSIZE, TestStore.NFC);
        ingest.rejected(Rejection.NOT_PROTOBUF, TestStore.NFC);

        assertThat(ingest.rejectedByReason()).containsOnlyKeys(Rejection.values())
                .containsEntry(Rejection.OVERSIZE, 2L).containsEntry(Rejection.NOT_PROTOBUF, 1L)
                .containsEntry(Rejection.DUPLICATE, 0L);
        assertThat(ingest.rejectedByDevice()).containsOnly(
                entry(TestStore.KIOSK, 1L),
                entry(TestStore.NFC, 2L));
    }
}
