package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.floorgate.gateway.alerts.Alert;
import io.floorgate.gateway.alerts.AlertKind;
import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts raised and resolved from what real Paho devices do to a running gateway. */
class AlertsEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;

    @Test
    void deviceOffline_whenDeviceDropsItsConnection_thenRaisedAndResolvedWhenItReconnects() throws Exception {
        try (RunningGateway gw = RunningGateway.start(TestStore.config(), dataDir);
             TestDevice receiver = TestDevice.connect(gw.mqttUri(), TestStore.BLE)) {
            List<Alert> pushed = new CopyOnWriteArrayList<>();
            gw.gateway().alerts().subscribe(pushed::add);

            receiver.dropConnection();

            await().atMost(WAIT).until(() -> gw.gateway().alerts().open().stream()
                    .anyMatch(a -> a.kind() == AlertKind.DEVICE_OFFLINE && a.subject().equals(TestStore.BLE)));
            receiver.reconnect();
            await().atMost(WAIT).until(() -> gw.gateway().alerts().open().isEmpty());
            assertThat(gw.gateway().alerts().recent()).singleElement().satisfies(a -> {
                assertThat(a.kind()).isEqualTo(AlertKind.DEVICE_OFFLINE);
                assertThat(a.resolvedAtMs()).isPresent();
            });
            assertThat(pushed).extracting(Alert::isOpen).containsExactly(true, false);
        }
    }

    @Test
    void deviceOffline_whenDeviceDisconnectsCleanly_thenNoAlert() throws Exception {
        try (RunningGateway gw = RunningGateway.start(TestStore.config(), dataDir)) {
            TestDevice.connect(gw.mqttUri(), TestStore.NFC).close();
            await().atMost(WAIT).until(() -> gw.metric("floorgate_devices_connected") == 0);
            try (TestDevice receiver = TestDevice.connect(gw.mqttUri(), TestStore.BLE)) {
                // a low battery after the clean disconnect: once it is raised, the disconnect was long handled
                receiver.publish("health", Events.heartbeat(TestStore.BLE, 3, 15), 1).waitForCompletion(5_000);
                await().atMost(WAIT).until(() -> !gw.gateway().alerts().open().isEmpty());
                assertThat(gw.gateway().alerts().open()).extracting(Alert::kind)
                        .containsExactly(AlertKind.LOW_BATTERY);
            }
        }
    }
}
