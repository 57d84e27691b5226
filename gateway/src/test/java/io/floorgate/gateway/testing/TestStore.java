package io.floorgate.gateway.testing;

import java.nio.file.Path;

import io.floorgate.config.ConfigException;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;

/**
 * A small store for tests, written as YAML and loaded through the real loader: one zone, one device
 * of each kind plus a second BLE receiver, free ports on loopback.
 */
public final class TestStore {

    public static final String STORE_ID = "test-store";
    public static final String BLE = "ble-1";
    public static final String BLE_2 = "ble-2";
    public static final String NFC = "nfc-1";
    public static final String KIOSK = "kiosk-1";

    private TestStore() {
    }

    public static String secretOf(String deviceId) {
        return "secret-of-" + deviceId;
    }

    /** The YAML of the test store with the given per-device limits and commit interval. */
    public static String yaml(double rate, int burst, String commitInterval) {
        return yaml(rate, burst, commitInterval, "");
    }

    public static String yaml(double rate, int burst, String commitInterval, String extraListenerFields) {
        return yaml("maxEventBytes: 1024, devicePublishRate: " + rate + ", devicePublishBurst: " + burst
                + ", maxDevicesConnected: 100", commitInterval, extraListenerFields);
    }

    /** The YAML of the test store with these fields in its {@code limits} mapping. */
    public static String yaml(String limitFields, String commitInterval, String extraListenerFields) {
        return """
                store: { id: %s, chain: test-chain, name: "Test store" }
                floorPlan: { widthM: 20, depthM: 10 }
                zones:
                  - { id: floor, name: Floor, kind: aisle, polygon: [[0, 0], [20, 0], [20, 10], [0, 10]], adjacent: [] }
                devices:
                  - { id: %s, kind: ble-receiver, zone: floor, position: [2, 2], secret: "%s" }
                  - { id: %s, kind: ble-receiver, zone: floor, position: [8, 2], secret: "%s" }
                  - { id: %s, kind: nfc-reader, zone: floor, position: [4, 4], secret: "%s" }
                  - { id: %s, kind: kiosk, zone: floor, position: [6, 6], secret: "%s" }
                limits: { %s }
                listeners: { host: 127.0.0.1, mqttPort: 0, httpPort: 0%s }
                ingest: { commitInterval: %s, commitMaxBatch: 500, queueCapacity: 5000 }
                """.formatted(STORE_ID, BLE, secretOf(BLE), BLE_2, secretOf(BLE_2), NFC, secretOf(NFC), KIOSK,
                secretOf(KIOSK), limitFields, extraListenerFields, commitInterval);
    }

    public static StoreConfig config(double rate, int burst, String commitInterval) {
        return parse(yaml(rate, burst, commitInterval));
    }

    /** Generous limits: nothing in a functional test trips the rate limiter by accident. */
    public static StoreConfig config() {
        return config(10_000, 10_000, "5ms");
    }

    public static StoreConfig parse(String yaml) {
        try {
            return StoreConfigLoader.parse(Path.of("test-store.yaml"), yaml);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
