package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.ByteString;
import io.floorgate.config.Listeners;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.location.ShopperLocation;
import io.floorgate.gateway.location.ZoneOccupancy;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.Shoppers;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Sighting;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo store on free ports: receivers publish sightings over MQTT as real Paho clients, shoppers are located. */
class LocationEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long BOOT = 1;
    private static final ByteString STRANGER = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    @TempDir
    Path dataDir;

    @Test
    void sightings_whenLinkedShopperIsHeardInPickup_thenIsLocatedThereAndTheVisitIsStoredAndClosedAtCheckOut()
            throws Exception {
        StoreConfig demo = StoreConfigLoader.loadDemo()
                .withListeners(new Listeners("127.0.0.1", 0, 0, Optional.empty()));
        try (RunningGateway gw = RunningGateway.start(demo, dataDir);
             TestDevice pickup1 = receiver(gw, "ble-pickup-1");
             TestDevice pickup2 = receiver(gw, "ble-pickup-2");
             TestDevice entrance = receiver(gw, "ble-entrance-1")) {
            Gateway gateway = gw.gateway();
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn annaApp = Shoppers.checkIn(app, demo.storeId(), true);
            ShopperSession anna = annaApp.session();
            ShopperSession bob = Shoppers.checkIn(app, demo.storeId(), false).session();

            // the reports of the last three one-second windows, each dated at its window's end as receivers do (two
            // events of one receiver with one date are the parts of one window, and are taken together)
            long start = System.currentTimeMillis();
            for (long seq = 1; seq <= 3; seq++) {
                long windowEnd = start - (3 - seq) * 1_000;
                publish(pickup1, "ble-pickup-1", seq, anna, bob, -58, windowEnd);
                publish(pickup2, "ble-pickup-2", seq, anna, bob, -66, windowEnd);
                publish(entrance, "ble-entrance-1", seq, anna, bob, -84, windowEnd);
            }

            await().atMost(WAIT).untilAsserted(() -> assertThat(gateway.locationQuery().locationOf(anna.id()))
                    .map(ShopperLocation::zoneId).contains("pickup"));
            assertThat(gateway.locationQuery().locationOf(bob.id())).as("no location consent").isEmpty();
            HttpResponse<String> located = app.get("/api/v1/sessions/" + anna.id() + "/location", annaApp.token());
            assertThat(located.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(located.body()).getString("zoneId")).isEqualTo("pickup");
            await().atMost(WAIT).untilAsserted(() -> {
                Map<String, ZoneOccupancy> occupancy = gateway.locationQuery().occupancy();
                assertThat(occupancy.get("pickup")).isEqualTo(new ZoneOccupancy(1, 2));
                assertThat(occupancy.get("entrance")).isEqualTo(new ZoneOccupancy(0, 2));
                assertThat(occupancy).hasSize(demo.zones().size());
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(gw.count(
                    "SELECT COUNT(*) FROM zone_visit WHERE session_id = '" + anna.id() + "' AND zone_id = 'pickup'"
                            + " AND exited_at IS NULL")).isEqualTo(1));
            assertThat(gw.count("SELECT COUNT(*) FROM zone_visit WHERE session_id = '" + bob.id() + "'")).isZero();
            assertThat(gw.metric("floorgate_location_sightings_total", "resolved", "true")).isEqualTo(9);
            assertThat(gw.metric("floorgate_location_sightings_total", "resolved", "false")).isEqualTo(18);
            assertThat(gw.metric("floorgate_location_zone_changes_total")).isEqualTo(1);
            assertThat(gw.metric("floorgate_location_occupancy", "zone", "pickup", "kind", "linked")).isEqualTo(1);

            assertThat(app.delete("/api/v1/sessions/" + anna.id(), annaApp.token()).statusCode()).isEqualTo(204);

            await().atMost(WAIT).untilAsserted(() -> assertThat(gw.count(
                    "SELECT COUNT(*) FROM zone_visit WHERE session_id = '" + anna.id() + "' AND exited_at IS NOT NULL"
                            + " AND dwell_ms >= 0")).isEqualTo(1));
            assertThat(gateway.locationQuery().locationOf(anna.id())).isEmpty();
        }
    }

    @Test
    void stop_whenAShopperIsStillInAZone_thenTheVisitIsClosedBeforeTheDatabaseCloses() throws Exception {
        StoreConfig demo = StoreConfigLoader.loadDemo()
                .withListeners(new Listeners("127.0.0.1", 0, 0, Optional.empty()));
        RunningGateway gw = RunningGateway.start(demo, dataDir);
        try (TestDevice pickup1 = receiver(gw, "ble-pickup-1")) {
            ShopperSession anna = Shoppers.checkIn(new AppClient(gw), demo.storeId(), true).session();
            publish(pickup1, "ble-pickup-1", 1, anna, anna, -58, System.currentTimeMillis());
            await().atMost(WAIT).untilAsserted(() -> assertThat(gw.count(
                    "SELECT COUNT(*) FROM zone_visit WHERE exited_at IS NULL")).isEqualTo(1));
        }
        gw.stop();

        try (RunningGateway again = RunningGateway.start(demo, dataDir)) {
            assertThat(again.count("SELECT COUNT(*) FROM zone_visit WHERE exited_at IS NOT NULL")).isEqualTo(1);
        }
    }

    private static TestDevice receiver(RunningGateway gw, String deviceId) throws Exception {
        return TestDevice.connectToDemoStore(gw.mqttUri(), deviceId);
    }

    /** One receiver's one-second batch: both shoppers' current ids at the given RSSI, and a stranger's beacon. */
    private static void publish(TestDevice receiver, String deviceId, long seq, ShopperSession anna,
                                ShopperSession bob, int rssiDbm, long now) throws Exception {
        BeaconSightings batch = BeaconSightings.newBuilder().setWindowMs(1000)
                .addSightings(sighting(Shoppers.advertisedIdAt(anna, now), rssiDbm))
                .addSightings(sighting(Shoppers.advertisedIdAt(bob, now), rssiDbm))
                .addSightings(sighting(STRANGER, rssiDbm - 5))
                .build();
        DeviceEvent event = DeviceEvent.newBuilder().setDeviceId(deviceId).setBootId(BOOT).setSeq(seq)
                .setObservedAtMs(now).setBeaconSightings(batch).build();
        receiver.publishTo("store/demo-001/devices/" + deviceId + "/events", event.toByteArray(), 0);
    }

    private static Sighting sighting(ByteString id, int rssiDbm) {
        return Sighting.newBuilder().setObservedId(id).setRssiDbm(rssiDbm).setTxPowerDbm(-59).setCount(4).build();
    }
}
