package io.floorgate.gateway.alerts;

import static io.floorgate.gateway.testing.RunningGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.floorgate.gateway.ingest.DeviceHealth;
import io.floorgate.gateway.ingest.Rejection;
import io.floorgate.gateway.pickup.Order;
import io.floorgate.gateway.pickup.OrderState;
import io.floorgate.gateway.pickup.PickupEvent;
import io.floorgate.gateway.pickup.StepSource;
import io.floorgate.gateway.testing.Customers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertStageTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AtomicLong clock = new AtomicLong(50_000);
    private final AlertStage stage = new AlertStage(clock::get, new SimpleMeterRegistry());
    private final List<Alert> told = new CopyOnWriteArrayList<>();
    private Vertx vertx;

    @BeforeEach
    void deploy() {
        vertx = Vertx.vertx();
        await(vertx.deployVerticle(stage));
        stage.subscribe(told::add);
    }

    @AfterEach
    void close() {
        await(vertx.close());
    }

    private Alert openAlert(AlertKind kind, String subject) {
        await().atMost(WAIT).until(() -> stage.open().stream()
                .anyMatch(a -> a.kind() == kind && a.subject().equals(subject)));
        return stage.open().stream().filter(a -> a.kind() == kind && a.subject().equals(subject)).findFirst()
                .orElseThrow();
    }

    @Test
    void offline_whenConnectionWasLost_thenDeviceOfflineUntilItIsBackOnline() {
        stage.offline("ble-1", 1, false);
        Alert raised = openAlert(AlertKind.DEVICE_OFFLINE, "ble-1");
        clock.set(60_000);

        stage.online("ble-1", 2);

        await().atMost(WAIT).until(() -> stage.open().isEmpty());
        assertThat(stage.recent()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(raised.id());
            assertThat(a.resolvedAtMs()).hasValue(60_000);
        });
        assertThat(told).extracting(Alert::isOpen).containsExactly(true, false);
    }

    @Test
    void offline_whenDeviceSaidSoItself_thenNoAlert() {
        stage.offline("ble-1", 1, true);
        stage.raise(AlertKind.UPLINK_BACKLOG, AlertStage.STORE_SUBJECT, "marker");

        openAlert(AlertKind.UPLINK_BACKLOG, AlertStage.STORE_SUBJECT);
        assertThat(stage.open()).extracting(Alert::kind).containsExactly(AlertKind.UPLINK_BACKLOG);
    }

    @Test
    void heartbeat_whenBatteryAtTheThreshold_thenLowBatteryUntilAboveIt() {
        stage.heartbeat(health("ble-1", OptionalInt.of(AlertStage.LOW_BATTERY_PCT + 1)));
        stage.heartbeat(health("ble-2", OptionalInt.empty()));
        stage.heartbeat(health("ble-1", OptionalInt.of(AlertStage.LOW_BATTERY_PCT)));
        assertThat(openAlert(AlertKind.LOW_BATTERY, "ble-1").message()).contains("20 %");

        stage.heartbeat(health("ble-1", OptionalInt.of(95)));

        await().atMost(WAIT).until(() -> stage.open().isEmpty());
        assertThat(told).hasSize(2);
    }

    @Test
    void onPickup_whenServiceLevelBreached_thenAlertUntilHandedOff() {
        Order order = new Order("order-7", Customers.hash("cust"), "counter", "CODE", OrderState.ARRIVED, Optional.empty(),
                OptionalInt.empty(), 1, OptionalLong.empty(), OptionalLong.of(2), OptionalLong.empty());
        stage.onPickup(new PickupEvent.ServiceLevelBreached(order, 330_000, 300_000));
        assertThat(openAlert(AlertKind.SERVICE_LEVEL_BREACH, "order-7").message())
                .contains("5 min 30 s").contains("counter");

        stage.onPickup(new PickupEvent.HandedOff(order, StepSource.STAFF, 400_000));

        await().atMost(WAIT).until(() -> stage.open().isEmpty());
    }

    @Test
    void closeStormWindow_whenRefusalsWereOverTheThresholds_thenStormsUntilAQuietWindow() {
        for (int i = 0; i < RejectionStorms.UNKNOWN_DEVICE_THRESHOLD; i++) {
            stage.rejections().rejected(Rejection.UNKNOWN_DEVICE, "unknown");
        }
        for (int i = 0; i < RejectionStorms.FLOOD_THRESHOLD; i++) {
            stage.rejections().rejected(Rejection.RATE_LIMITED, "ble-1");
        }

        stage.closeStormWindow();
        openAlert(AlertKind.UNKNOWN_DEVICE_STORM, AlertStage.STORE_SUBJECT);
        openAlert(AlertKind.FLOOD, "ble-1");
        stage.closeStormWindow();

        await().atMost(WAIT).until(() -> stage.open().isEmpty());
        assertThat(stage.recent()).extracting(Alert::kind)
                .containsExactlyInAnyOrder(AlertKind.UNKNOWN_DEVICE_STORM, AlertKind.FLOOD);
    }

    @Test
    void acknowledge_whenStaffSawIt_thenWhoAndWhenAreKeptAndListenersTold() {
        stage.raise(AlertKind.UPLINK_BACKLOG, AlertStage.STORE_SUBJECT, "12,000 messages waiting");
        Alert raised = openAlert(AlertKind.UPLINK_BACKLOG, AlertStage.STORE_SUBJECT);
        clock.set(70_000);

        Alert acked = await(stage.acknowledge(raised.id(), "manager-1")).orElseThrow();

        assertThat(acked.acknowledgement()).contains(new Alert.Acknowledgement("manager-1", 70_000));
        assertThat(stage.alert(raised.id())).contains(acked);
        assertThat(told).last().isEqualTo(acked);
        assertThat(await(stage.acknowledge("no-such-alert", "manager-1"))).isEmpty();

        stage.clear(AlertKind.UPLINK_BACKLOG, AlertStage.STORE_SUBJECT);
        await().atMost(WAIT).until(() -> stage.open().isEmpty());
        assertThat(stage.recent().get(0).acknowledgement()).contains(new Alert.Acknowledgement("manager-1", 70_000));
    }

    private static DeviceHealth health(String deviceId, OptionalInt batteryPct) {
        return new DeviceHealth(deviceId, true, OptionalLong.of(1), OptionalLong.of(9), batteryPct, Optional.of("fw"), 0);
    }
}
