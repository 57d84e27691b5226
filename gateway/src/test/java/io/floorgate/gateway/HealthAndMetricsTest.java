package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import io.floorgate.gateway.testing.AppClient;

import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health/*}, {@code /metrics} and the {@code device_state} table, as an operator reads them. */
class HealthAndMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long BOOT_ID = 7;
    private static final int BATTERY_PCT = 63;

    @TempDir
    Path dataDir;

    private RunningGateway gateway;

    @BeforeEach
    void start() {
        gateway = RunningGateway.start(TestStore.config(), dataDir);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void health_whenGatewayIsStarted_thenLiveAndReadyAreUpAsJson() {
        for (String path : new String[] {"/health/live", "/health/ready"}) {
            HttpResponse<String> response = gateway.get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(new JsonObject(response.body()).getString("status")).as(path).isEqualTo("UP");
        }
    }

    @Test
    void metrics_whenScraped_thenIsPrometheusTextWithTheIngestCounters() {
        HttpResponse<String> response = gateway.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body())
                .contains("# TYPE floorgate_ingest_accepted_total counter")
                .contains("floorgate_ingest_accepted_total{")
                .contains("# TYPE floorgate_devices_connected gauge");
        assertThat(gateway.metric("floorgate_devices_connected")).isZero();
    }

    @Test
    void metrics_whenDeviceConnectsPublishesAndLeaves_thenConnectedGaugeAndCommitMetricsFollow() throws Exception {
        try (TestDevice nfc = TestDevice.connect(gateway.mqttUri(), TestStore.NFC)) {
            await().atMost(WAIT).until(() -> gateway.metric("floorgate_devices_connected") == 1);

            nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT_ID, 1).build(), 1).waitForCompletion(10_000);

            assertThat(gateway.metric("floorgate_ingest_accepted_total",
                    "kind", "nfc-reader", "channel", "events", "qos", "1")).isEqualTo(1);
            String text = gateway.metrics();
            assertThat(text).contains("floorgate_ingest_commit_batch_size_count")
                    .contains("floorgate_ingest_commit_latency_seconds_count");
            assertThat(gateway.metric("floorgate_ingest_commit_batch_size_count")).isGreaterThanOrEqualTo(1);
            assertThat(gateway.metric("floorgate_ingest_commit_latency_seconds_count")).isGreaterThanOrEqualTo(1);
        }

        await().atMost(WAIT).until(() -> gateway.metric("floorgate_devices_connected") == 0);
    }

    @Test
    void deviceState_whenDeviceSendsHeartbeatThenLeaves_thenRowShowsOnlineWithBatteryThenOffline() throws Exception {
        String online = "SELECT COUNT(*) FROM device_state WHERE device_id = 'ble-1' AND online";
        String offline = "SELECT COUNT(*) FROM device_state WHERE device_id = 'ble-1' AND NOT online";
        try (TestDevice ble = TestDevice.connect(gateway.mqttUri(), TestStore.BLE)) {
            await().atMost(WAIT).until(() -> gateway.count(online) == 1);

            // QoS 1: PUBACK comes after the state row is committed, so the row is there once it arrives.
            ble.publish("health", Events.heartbeat(TestStore.BLE, BOOT_ID, BATTERY_PCT), 1).waitForCompletion(10_000);

            assertThat(gateway.count("SELECT battery_pct FROM device_state WHERE device_id = 'ble-1'"))
                    .isEqualTo(BATTERY_PCT);
            assertThat(gateway.count("SELECT boot_id FROM device_state WHERE device_id = 'ble-1'")).isEqualTo(BOOT_ID);
            assertThat(gateway.metric("floorgate_ingest_accepted_total",
                    "kind", "ble-receiver", "channel", "health", "qos", "1")).isEqualTo(1);
            var health = gateway.gateway().deviceHealthQuery().device(TestStore.BLE).orElseThrow();
            assertThat(health.online()).isTrue();
            assertThat(health.batteryPct()).hasValue(BATTERY_PCT);
            assertThat(health.bootId()).hasValue(BOOT_ID);
        }

        await().atMost(WAIT).until(() -> gateway.count(offline) == 1);
        assertThat(gateway.gateway().deviceHealthQuery().device(TestStore.BLE).orElseThrow().online())
                .as("the read view says what the row says").isFalse();
        assertThat(gateway.count("SELECT battery_pct FROM device_state WHERE device_id = 'ble-1'"))
                .as("going offline keeps the last battery reading").isEqualTo(BATTERY_PCT);
    }

    @Test
    void ready_whenTheDatabaseIsLost_thenIs503WithTheReasonAndPublishersAreRefusedUntilItIsBack() throws Exception {
        Path file = dataDir.resolve("floorgate.mv.db");
        Path away = dataDir.resolve("elsewhere.mv.db");
        try (TestDevice nfc = TestDevice.connect(gateway.mqttUri(), TestStore.NFC)) {
            await().atMost(WAIT).until(() -> gateway.metric("floorgate_devices_connected") == 1);

            // The file goes first, so that reconnecting cannot reopen it; then the database is shut down under the
            // running gateway.
            Files.move(file, away);
            try (Connection c = DriverManager.getConnection(gateway.gateway().jdbcUrl(), "floorgate", "");
                 Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }

            await().atMost(WAIT).until(() -> gateway.get("/health/ready").statusCode() == 503);
            HttpResponse<String> ready = gateway.get("/health/ready");
            assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("DOWN");
            assertThat(new JsonObject(ready.body()).getString("reason")).startsWith("database unavailable: ");
            assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);
            assertThat(gateway.metric("floorgate_store_available")).isZero();

            HttpResponse<String> checkIn = new AppClient(gateway).post("/api/v1/sessions", "application/json",
                    AppClient.checkInBody(true));
            assertThat(checkIn.statusCode()).isEqualTo(503);
            assertThat(new JsonObject(checkIn.body()).getString("error")).isEqualTo("storage_unavailable");

            IMqttDeliveryToken publish = nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT_ID, 1).build(), 1);
            // Refused, not left waiting: the gateway closes the connection without a PUBACK, so the device sends it
            // again later.
            assertThatThrownBy(() -> publish.waitForCompletion(WAIT.toMillis())).hasMessageContaining("lost");
            assertThat(gateway.metric("floorgate_ingest_rejected_total", "reason", "store_failed")).isEqualTo(1);
        }

        Files.move(away, file);
        await().atMost(WAIT).until(() -> gateway.get("/health/ready").statusCode() == 200);
        assertThat(gateway.metric("floorgate_store_available")).isEqualTo(1);
        assertThat(new AppClient(gateway).post("/api/v1/sessions", "application/json", AppClient.checkInBody(true))
                .statusCode()).isEqualTo(201);
    }
}
