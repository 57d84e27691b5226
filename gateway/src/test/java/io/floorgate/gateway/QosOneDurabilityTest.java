package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Acknowledged means durable": QoS 1 PUBACK only after the H2 commit, and no second row on a replay. */
class QosOneDurabilityTest {

    private static final long BOOT = 0x5eedL;

    @TempDir
    Path dataDir;

    @Test
    void publish_whenQos1Event_thenPubackArrivesOnlyOnceTheRowIsCommitted() throws Exception {
        // A long commit interval: an acknowledgement sent before the commit would find no row.
        try (RunningGateway gw = RunningGateway.start(TestStore.config(10_000, 10_000, "300ms"), dataDir);
             TestDevice nfc = TestDevice.connect(gw.mqttUri(), TestStore.NFC)) {
            for (long seq = 1; seq <= 5; seq++) {
                nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, seq).build(), 1).waitForCompletion(10_000);
                assertThat(gw.count("SELECT COUNT(*) FROM device_event WHERE device_id = '" + TestStore.NFC
                        + "' AND seq = " + seq)).as("row of seq %d at its PUBACK", seq).isEqualTo(1);
            }
        }
    }

    @Test
    void publish_whenManyQos1EventsInFlight_thenTheyShareCommitsAndAllAreStored() throws Exception {
        try (RunningGateway gw = RunningGateway.start(TestStore.config(), dataDir);
             TestDevice nfc = TestDevice.connect(gw.mqttUri(), TestStore.NFC)) {
            List<IMqttDeliveryToken> tokens = new ArrayList<>();
            for (long seq = 1; seq <= 500; seq++) {
                tokens.add(nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, seq).build(), 1));
            }
            for (IMqttDeliveryToken t : tokens) {
                t.waitForCompletion(10_000);
            }
            assertThat(gw.count("SELECT COUNT(*) FROM device_event")).isEqualTo(500);
            double batches = gw.metric("floorgate_ingest_commit_batch_size_count");
            assertThat(batches).as("commits for 500 events").isGreaterThan(0).isLessThan(500);
        }
    }

    @Test
    void publish_whenEventIsResentAfterGatewayRestart_thenItIsNotStoredTwice() throws Exception {
        try (RunningGateway gw = RunningGateway.start(TestStore.config(), dataDir);
             TestDevice nfc = TestDevice.connect(gw.mqttUri(), TestStore.NFC)) {
            for (long seq = 1; seq <= 5; seq++) {
                nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, seq).build(), 1).waitForCompletion(10_000);
            }
        }
        try (RunningGateway gw = RunningGateway.start(TestStore.config(), dataDir);
             TestDevice nfc = TestDevice.connect(gw.mqttUri(), TestStore.NFC)) {
            for (long seq = 3; seq <= 7; seq++) {
                nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, seq).build(), 1).waitForCompletion(10_000);
            }
            assertThat(gw.count("SELECT COUNT(*) FROM device_event")).isEqualTo(7);
            assertThat(gw.metric("floorgate_ingest_rejected_total", "device", TestStore.NFC, "reason", "duplicate"))
                    .isEqualTo(3);

            // The device rebooted: a new boot id, its counter back at 1. Not a replay.
            nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT + 1, 1).build(), 1).waitForCompletion(10_000);
            assertThat(gw.count("SELECT COUNT(*) FROM device_event")).isEqualTo(8);
        }
    }

    @Test
    void publish_whenDuplicateArrivesBeforeTheOriginalIsCommitted_thenBothAckedAndOneRowStored() throws Exception {
        try (RunningGateway gw = RunningGateway.start(TestStore.config(10_000, 10_000, "200ms"), dataDir);
             TestDevice nfc = TestDevice.connect(gw.mqttUri(), TestStore.NFC)) {
            IMqttDeliveryToken original = nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, 1).build(), 1);
            IMqttDeliveryToken copy = nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, 1).build(), 1);
            copy.waitForCompletion(10_000);
            assertThat(gw.count("SELECT COUNT(*) FROM device_event")).as("rows when the copy is acked").isEqualTo(1);
            original.waitForCompletion(10_000);
            assertThat(gw.count("SELECT COUNT(*) FROM device_event")).isEqualTo(1);
        }
    }

    @Test
    void publish_whenQos0Sightings_thenLocationStateMovesButNothingIsStoredRaw() throws Exception {
        try (RunningGateway gw = RunningGateway.start(TestStore.config(), dataDir);
             TestDevice ble = TestDevice.connect(gw.mqttUri(), TestStore.BLE)) {
            for (long seq = 1; seq <= 20; seq++) {
                ble.publish("events", Events.sightings(TestStore.BLE, BOOT, seq).build(), 0);
            }
            // A QoS 1 marker afterwards: once it is acknowledged, the QoS 0 messages before it were handled.
            ble.publish("events", Events.sightings(TestStore.BLE, BOOT, 21).build(), 1).waitForCompletion(10_000);
            assertThat(gw.metric("floorgate_ingest_accepted_total", "channel", "events", "kind", "ble-receiver",
                    "qos", "0")).isEqualTo(20);
            assertThat(gw.metric("floorgate_location_sightings_total", "resolved", "false")).isEqualTo(21);
            assertThat(gw.count("SELECT COUNT(*) FROM device_event")).as("only the QoS 1 one").isEqualTo(1);
        }
    }
}
