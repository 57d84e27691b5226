package io.floorgate.gateway;

import static io.floorgate.gateway.testing.ConnectAttempt.ACCEPTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_NOT_AUTHORIZED;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;

import io.floorgate.config.ConfigException;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.config.ReloadResult;
import io.floorgate.gateway.testing.ConnectAttempt;
import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store file edited under a running gateway: a good edit is applied without dropping the
 * connections it does not concern; a broken one is refused and the configuration in force stays.
 */
class ConfigReloadTest {

    /** The watcher polls once a second and parses on a worker: a reload shows within a few polls. */
    private static final Duration RELOAD_WAIT = Duration.ofSeconds(10);
    private static final long WAIT_MS = 10_000;
    private static final long BOOT_ID = 5;
    private static final String ROTATED_NFC_SECRET = "rotated-secret-of-nfc-1";

    @TempDir
    Path dir;

    private Path configFile;
    private FileTime lastWrite;
    private RunningGateway gateway;
    private TestDevice ble;
    private TestDevice ble2;
    private TestDevice nfc;
    private long bleSeq;

    @BeforeEach
    void start() throws Exception {
        configFile = dir.resolve("store.yaml");
        String yaml = originalYaml();
        Files.writeString(configFile, yaml);
        lastWrite = Files.getLastModifiedTime(configFile);
        gateway = RunningGateway.start(new GatewaySettings(StoreConfigLoader.load(configFile), Optional.of(configFile),
                dir.resolve("data"), false));
        ble = TestDevice.connect(gateway.mqttUri(), TestStore.BLE);
        ble2 = TestDevice.connect(gateway.mqttUri(), TestStore.BLE_2);
        nfc = TestDevice.connect(gateway.mqttUri(), TestStore.NFC);
    }

    @AfterEach
    void stop() throws Exception {
        try (RunningGateway g = gateway; TestDevice a = ble; TestDevice b = ble2; TestDevice c = nfc) {
            // closes devices first, then the gateway
        }
    }

    @Test
    void reload_whenDeviceRemovedAndSecretRotated_thenOnlyThoseDevicesAreDisconnected() throws Exception {
        rewrite(rotatedYaml());

        await().atMost(RELOAD_WAIT).until(() -> !ble2.isConnected() && !nfc.isConnected());
        assertThat(gateway.metric("floorgate_config_reloads_total", "result", "applied")).isEqualTo(1);
        assertThat(ble.isConnected()).as("ble-1 is unchanged and keeps its connection").isTrue();
        assertBlePublishIsAcknowledgedAndStored();

        assertThat(ConnectAttempt.outcome(gateway.mqttUri(), TestStore.BLE_2, TestStore.secretOf(TestStore.BLE_2)))
                .as("removed device").isEqualTo(REASON_CODE_NOT_AUTHORIZED);
        assertThat(ConnectAttempt.outcome(gateway.mqttUri(), TestStore.NFC, TestStore.secretOf(TestStore.NFC)))
                .as("nfc-1 with its old secret").isEqualTo(REASON_CODE_NOT_AUTHORIZED);
        assertThat(ConnectAttempt.outcome(gateway.mqttUri(), TestStore.NFC, ROTATED_NFC_SECRET))
                .as("nfc-1 with its new secret").isEqualTo(ACCEPTED);
        assertThat(gateway.gateway().config().devicesById()).doesNotContainKey(TestStore.BLE_2);
    }

    @Test
    void reload_whenNewFileIsBroken_thenIsRefusedAndPreviousConfigurationStays() throws Exception {
        rewrite(rotatedYaml());
        await().atMost(RELOAD_WAIT).until(() -> gateway.metric("floorgate_config_reloads_total",
                "result", "applied") == 1);
        String broken = brokenYaml();
        assertThatThrownBy(() -> StoreConfigLoader.parse(configFile, broken))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSizeGreaterThan(1));

        rewrite(broken);

        await().atMost(RELOAD_WAIT).until(() -> gateway.metric("floorgate_config_reloads_total",
                "result", "refused") == 1);
        assertThat(gateway.metric("floorgate_config_reloads_total", "result", "applied")).isEqualTo(1);
        assertThat(ble.isConnected()).isTrue();
        assertBlePublishIsAcknowledgedAndStored();
        assertThat(ConnectAttempt.outcome(gateway.mqttUri(), TestStore.NFC, ROTATED_NFC_SECRET))
                .as("nfc-1 with the secret of the configuration still in force").isEqualTo(ACCEPTED);
        assertThat(ConnectAttempt.outcome(gateway.mqttUri(), TestStore.NFC, TestStore.secretOf(TestStore.NFC)))
                .isEqualTo(REASON_CODE_NOT_AUTHORIZED);
        assertThat(ConnectAttempt.outcome(gateway.mqttUri(), TestStore.BLE_2, TestStore.secretOf(TestStore.BLE_2)))
                .isEqualTo(REASON_CODE_NOT_AUTHORIZED);
        assertThat(gateway.gateway().config().devicesById()).containsKeys(TestStore.BLE, TestStore.NFC, TestStore.KIOSK)
                .doesNotContainKey(TestStore.BLE_2);
    }

    @Test
    void reloadConfig_whenAdminAsksAfterAnEdit_thenAnswersAppliedOrUnchangedAndTheEditIsInForce() throws Exception {
        assertThat(RunningGateway.await(gateway.gateway().reloadConfig()).outcome())
                .isEqualTo(ReloadResult.Outcome.UNCHANGED);

        rewrite(rotatedYaml());
        ReloadResult result = RunningGateway.await(gateway.gateway().reloadConfig());

        // the watcher's own poll may have applied the edit first: then the button's reload finds it in force
        assertThat(result.outcome()).isIn(ReloadResult.Outcome.APPLIED, ReloadResult.Outcome.UNCHANGED);
        assertThat(gateway.gateway().config().devicesById()).doesNotContainKey(TestStore.BLE_2);
        assertThat(gateway.metric("floorgate_config_reloads_total", "result", "applied")).isEqualTo(1);
    }

    /** A QoS 1 sighting from ble-1: PUBACK arrives, and by then the row is in H2. */
    private void assertBlePublishIsAcknowledgedAndStored() throws Exception {
        long seq = ++bleSeq;
        ble.publish("events", Events.sightings(TestStore.BLE, BOOT_ID, seq).build(), 1).waitForCompletion(WAIT_MS);
        assertThat(gateway.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'ble-1' AND seq = " + seq))
                .isEqualTo(1);
    }

    /**
     * Rewrites the file and moves its modification time a second on from the last write, so the
     * watcher sees the change even when the file system keeps whole seconds and the size is equal.
     */
    private void rewrite(String yaml) throws IOException {
        Files.writeString(configFile, yaml);
        lastWrite = FileTime.fromMillis(lastWrite.toMillis() + 1000);
        Files.setLastModifiedTime(configFile, lastWrite);
    }

    private static String originalYaml() {
        return TestStore.yaml(10_000, 10_000, "5ms");
    }

    private static String rotatedYaml() {
        String yaml = originalYaml();
        String ble2Line = yaml.lines().filter(line -> line.contains("id: " + TestStore.BLE_2 + ",")).findFirst()
                .orElseThrow();
        String rotated = yaml.replace(ble2Line + "\n", "")
                .replace(TestStore.secretOf(TestStore.NFC), ROTATED_NFC_SECRET);
        assertThat(rotated).doesNotContain(TestStore.BLE_2).contains(ROTATED_NFC_SECRET);
        return rotated;
    }

    /** The rotated store with three mistakes: an unknown zone kind, a device in no zone, a negative rate. */
    private static String brokenYaml() {
        String rotated = rotatedYaml();
        String broken = rotated.replace("kind: aisle", "kind: moon-base")
                .replaceFirst("zone: floor", "zone: nowhere")
                .replace("devicePublishRate: 10000.0", "devicePublishRate: -1");
        assertThat(broken).contains("moon-base", "nowhere", "devicePublishRate: -1");
        return broken;
    }
}
