package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.ByteString;
import io.floorgate.config.Listeners;
import io.floorgate.config.Sessions;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.PushClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.Shoppers;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.NfcTap;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Touches on the demo store on free ports: the app over HTTP and its WebSocket stream, staff on theirs, NFC readers and
 * kiosks as real Paho clients presenting the touch token the test derives from the key the gateway issued. Rows are
 * read right after the PUBACK: a touch is acknowledged only once it is committed.
 */
class TouchEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String STORE = "demo-001";
    private static final String CUSTOMER = "customer-7";

    @TempDir
    Path dataDir;

    private final Map<String, Long> seqByDevice = new HashMap<>();

    @Test
    void tap_whenAppPresentsItsTouchToken_thenTheTapIsLinkedToTheSessionAndStoredWithTheReadersZone()
            throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(Duration.ofSeconds(60)), dataDir);
             TestDevice reader = device(gw, "nfc-checkout-1")) {
            Shoppers.CheckedIn anna = Shoppers.checkIn(new AppClient(gw), STORE, true);

            tap(reader, "nfc-checkout-1", Shoppers.touchTokenAt(anna.session(), System.currentTimeMillis()));

            assertThat(gw.count("SELECT COUNT(*) FROM session_touch WHERE session_id = '" + anna.session().id()
                    + "' AND device_id = 'nfc-checkout-1' AND kind = 'nfc_tap' AND zone_id = 'checkout'"))
                    .isEqualTo(1);
            assertThat(gw.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'nfc-checkout-1'")).isEqualTo(1);
            assertThat(gw.metric("floorgate_linking_touches_total", "result", "linked")).isEqualTo(1);
            assertThat(gw.metric("floorgate_linking_touches_total", "result", "unknown")).isZero();
        }
    }

    /** A short period, shorter than a store file may set, so that a slot boundary passes within the test. */
    @Test
    void tap_whenTokenIsOfThePreviousSlot_thenStillLinksAfterTheSlotBoundary() throws Exception {
        Duration period = Duration.ofSeconds(5);
        try (RunningGateway gw = RunningGateway.start(demo(period), dataDir);
             TestDevice reader = device(gw, "nfc-service")) {
            Shoppers.CheckedIn anna = Shoppers.checkIn(new AppClient(gw), STORE, true);
            long slot = Math.floorDiv(System.currentTimeMillis(), period.toMillis());
            ByteString previous = Shoppers.touchToken(anna.session(), slot);
            // Well into the next slot: the gateway's windows have rolled (every second) around it.
            long twoSecondsIntoNext = (slot + 1) * period.toMillis() + 2_000;
            Thread.sleep(Math.max(0, twoSecondsIntoNext - System.currentTimeMillis()));

            tap(reader, "nfc-service", previous);

            assertThat(Math.floorDiv(System.currentTimeMillis(), period.toMillis())).as("still the next slot")
                    .isEqualTo(slot + 1);
            assertThat(gw.count("SELECT COUNT(*) FROM session_touch WHERE session_id = '" + anna.session().id()
                    + "' AND kind = 'nfc_tap'")).isEqualTo(1);
        }
    }

    @Test
    void tap_whenTokenResolvesToNoOpenSession_thenIsCountedAndNothingAboutItIsStored() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(Duration.ofSeconds(60)), dataDir);
             TestDevice reader = device(gw, "nfc-checkout-1");
             TestDevice kiosk = device(gw, "kiosk-entrance")) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn gone = Shoppers.checkIn(app, STORE, true);
            assertThat(app.delete("/api/v1/sessions/" + gone.session().id(), gone.token()).statusCode())
                    .isEqualTo(204);

            tap(reader, "nfc-checkout-1", Shoppers.touchTokenAt(gone.session(), System.currentTimeMillis()));
            tap(reader, "nfc-checkout-1", ByteString.copyFrom(new byte[16]));
            scan(kiosk, "kiosk-entrance", ByteString.copyFromUtf8("not a token"));

            assertThat(gw.metric("floorgate_linking_touches_total", "result", "unknown")).isEqualTo(3);
            assertThat(gw.metric("floorgate_linking_touches_total", "result", "linked")).isZero();
            assertThat(gw.count("SELECT COUNT(*) FROM session_touch")).isZero();
            assertThat(gw.count("SELECT COUNT(*) FROM device_event WHERE device_id IN ('nfc-checkout-1',"
                    + " 'kiosk-entrance')")).isZero();
        }
    }

    @Test
    void kioskScan_thenLookupAndFeedback_thenBothAreTheShoppersAndTheAppIsToldTheKioskIsLinked() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(Duration.ofSeconds(60)), dataDir);
             TestDevice kiosk = device(gw, "kiosk-footwear");
             TestDevice otherKiosk = device(gw, "kiosk-entrance")) {
            Shoppers.CheckedIn anna = Shoppers.checkIn(new AppClient(gw), STORE, true);
            try (PushClient stream = PushClient.open(gw, stream(anna), anna.token(), false)) {
                scan(kiosk, "kiosk-footwear", Shoppers.touchTokenAt(anna.session(), System.currentTimeMillis()));
                JsonObject linked = stream.next("kiosk_linked", WAIT);
                assertThat(linked.getString("kioskId")).isEqualTo("kiosk-footwear");
                assertThat(linked.getString("until")).isNotBlank();
            }
            lookup(kiosk, "kiosk-footwear");
            feedback(kiosk, "kiosk-footwear");
            feedback(otherKiosk, "kiosk-entrance");

            String annas = "SELECT COUNT(*) FROM session_touch WHERE session_id = '" + anna.session().id() + "'";
            assertThat(gw.count(annas + " AND kind = 'kiosk_scan' AND device_id = 'kiosk-footwear'")).isEqualTo(1);
            assertThat(gw.count(annas + " AND kind = 'product_lookup' AND zone_id = 'footwear'")).isEqualTo(1);
            assertThat(gw.count(annas + " AND kind = 'feedback' AND device_id = 'kiosk-footwear'")).isEqualTo(1);
            assertThat(gw.count("SELECT COUNT(*) FROM session_touch WHERE device_id = 'kiosk-entrance'"))
                    .as("another kiosk's feedback stays anonymous").isZero();
            assertThat(gw.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'kiosk-entrance'"))
                    .as("and is stored raw as before").isEqualTo(1);
        }
    }

    @Test
    void kioskScan_whenShopperHasNoAnalyticsConsent_thenTheLookupIsLinkedButTheFeedbackIsNot() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(Duration.ofSeconds(60)), dataDir);
             TestDevice kiosk = device(gw, "kiosk-footwear")) {
            Shoppers.CheckedIn bob = Shoppers.checkIn(new AppClient(gw), STORE, true, false, Optional.empty());

            scan(kiosk, "kiosk-footwear", Shoppers.touchTokenAt(bob.session(), System.currentTimeMillis()));
            lookup(kiosk, "kiosk-footwear");
            feedback(kiosk, "kiosk-footwear");

            String bobs = "SELECT COUNT(*) FROM session_touch WHERE session_id = '" + bob.session().id() + "'";
            assertThat(gw.count(bobs + " AND kind = 'product_lookup'")).isEqualTo(1);
            assertThat(gw.count(bobs + " AND kind = 'feedback'")).isZero();
            assertThat(gw.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'kiosk-footwear'")).isEqualTo(3);
        }
    }

    @Test
    void kioskScan_atThePickupKiosk_thenTheLinkedOrderArrives_andStaffAndTheAppAreTold() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(Duration.ofSeconds(60)), dataDir);
             PushClient staff = PushClient.open(gw, "/api/v1/staff/stream", systemToken(gw), false);
             TestDevice kiosk = device(gw, "kiosk-pickup")) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn anna = Shoppers.checkIn(app, STORE, false, Optional.of(CUSTOMER));
            readyAndLinked(gw, app, anna, "o-1");
            try (PushClient shopper = PushClient.open(gw, stream(anna), anna.token(), true)) {
                scan(kiosk, "kiosk-pickup", Shoppers.touchTokenAt(anna.session(), System.currentTimeMillis()));

                JsonObject arrival = staff.next("arrival", WAIT);
                assertThat(arrival.getString("source")).isEqualTo("kiosk");
                assertThat(arrival.getJsonObject("order").getString("orderId")).isEqualTo("o-1");
                assertThat(shopper.next("arrival_seen", WAIT).getJsonObject("order").getString("state"))
                        .isEqualTo("ARRIVED");
                assertThat(shopper.next("kiosk_linked", WAIT).getString("kioskId")).isEqualTo("kiosk-pickup");
            }
            assertThat(gw.count("SELECT COUNT(*) FROM pickup_step WHERE order_id = 'o-1' AND step = 'ARRIVED'"
                    + " AND source = 'kiosk'")).isEqualTo(1);
            assertThat(gw.metric("floorgate_pickup_arrivals_total", "source", "kiosk")).isEqualTo(1);
            assertThat(gw.count("SELECT COUNT(*) FROM session_touch WHERE kind = 'kiosk_scan' AND zone_id IS NULL"))
                    .as("no location consent: no zone").isEqualTo(1);
        }
    }

    @Test
    void tap_atThePickupPointsReader_thenTheOrderArrivesByNfc_andTheOrderCodeTapStillHandsItOff() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(Duration.ofSeconds(60)), dataDir);
             PushClient staff = PushClient.open(gw, "/api/v1/staff/stream", systemToken(gw), false);
             TestDevice counter = device(gw, "nfc-pickup")) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn anna = Shoppers.checkIn(app, STORE, true, Optional.of(CUSTOMER));
            readyAndLinked(gw, app, anna, "o-2");

            tap(counter, "nfc-pickup", Shoppers.touchTokenAt(anna.session(), System.currentTimeMillis()));
            assertThat(staff.next("arrival", WAIT).getString("source")).isEqualTo("nfc");
            publish(counter, event("nfc-pickup").setNfcTap(NfcTap.newBuilder()
                    .setToken(ByteString.copyFromUtf8("code-o-2")).setKind(NfcTap.TokenKind.TOKEN_KIND_ORDER)));

            assertThat(staff.next("handoff", WAIT).getString("source")).isEqualTo("nfc");
            assertThat(gw.metric("floorgate_pickup_arrivals_total", "source", "nfc")).isEqualTo(1);
            assertThat(gw.metric("floorgate_pickup_handoffs_total", "source", "nfc")).isEqualTo(1);
        }
    }

    @Test
    void tap_whenShopperHasNoLocationConsent_thenIsLinkedWithoutAZoneAndNoZoneVisitIsStored() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(Duration.ofSeconds(60)), dataDir);
             TestDevice reader = device(gw, "nfc-checkout-1");
             TestDevice kiosk = device(gw, "kiosk-footwear")) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn bob = Shoppers.checkIn(app, STORE, false);
            Shoppers.CheckedIn anna = Shoppers.checkIn(app, STORE, true);

            tap(reader, "nfc-checkout-1", Shoppers.touchTokenAt(bob.session(), System.currentTimeMillis()));
            scan(kiosk, "kiosk-footwear", Shoppers.touchTokenAt(bob.session(), System.currentTimeMillis()));
            lookup(kiosk, "kiosk-footwear");
            tap(reader, "nfc-checkout-1", Shoppers.touchTokenAt(anna.session(), System.currentTimeMillis()));

            String bobs = "SELECT COUNT(*) FROM session_touch WHERE session_id = '" + bob.session().id() + "'";
            assertThat(gw.count(bobs)).isEqualTo(3);
            assertThat(gw.count(bobs + " AND zone_id IS NOT NULL")).isZero();
            assertThat(gw.count("SELECT COUNT(*) FROM session_touch WHERE session_id = '" + anna.session().id()
                    + "' AND zone_id = 'checkout'")).as("with consent, the zone is kept").isEqualTo(1);
            // anna's tap places her at the reader (LocationStage.touched); bob's places him nowhere
            await().atMost(Duration.ofSeconds(5)).until(() -> gw.count("SELECT COUNT(*) FROM zone_visit WHERE session_id = '"
                    + anna.session().id() + "' AND zone_id = 'checkout'") == 1);
            assertThat(gw.gateway().locationQuery().locationOf(anna.session().id())).map(l -> l.zoneId())
                    .contains("checkout");
            assertThat(gw.count("SELECT COUNT(*) FROM zone_visit WHERE session_id = '" + bob.session().id() + "'"))
                    .isZero();
            assertThat(gw.gateway().locationQuery().locationOf(bob.session().id())).isEmpty();
            assertThat(app.get("/api/v1/sessions/" + bob.session().id() + "/location", bob.token()).statusCode())
                    .isEqualTo(403);
        }
    }

    /** The demo store on free ports with the given rotation period (and its own order system token). */
    private static StoreConfig demo(Duration rotationPeriod) throws Exception {
        StoreConfig d = StoreConfigLoader.loadDemo().withListeners(new Listeners("127.0.0.1", 0, 0, Optional.empty()));
        return new StoreConfig(d.source(), d.storeId(), d.chainId(), d.name(), d.floorPlan(), d.zones(), d.devices(),
                d.products(), d.pickup(), d.limits(), d.listeners(), d.ingest(), d.upstream(), d.retention(),
                new Sessions(d.sessions().inactivityTimeout(), rotationPeriod, d.sessions().systemClientToken()));
    }

    private static String systemToken(RunningGateway gw) {
        return gw.gateway().config().sessions().systemClientToken().orElseThrow();
    }

    /** The order system makes the order ready at counter-1 with code {@code code-<orderId>}; the app links it. */
    private static void readyAndLinked(RunningGateway gw, AppClient app, Shoppers.CheckedIn shopper, String orderId) {
        String ready = new JsonObject().put("status", "READY").put("pickupPointId", "counter-1")
                .put("customerRef", CUSTOMER).put("code", "code-" + orderId).encode();
        assertThat(app.send("PUT", "/api/v1/orders/" + orderId, systemToken(gw), ready).statusCode()).isEqualTo(201);
        assertThat(app.send("POST", "/api/v1/sessions/" + shopper.session().id() + "/orders/" + orderId,
                shopper.token(), null).statusCode()).isEqualTo(200);
    }

    private static String stream(Shoppers.CheckedIn shopper) {
        return "/api/v1/sessions/" + shopper.session().id() + "/stream";
    }

    private static TestDevice device(RunningGateway gw, String deviceId) throws Exception {
        return TestDevice.connectToDemoStore(gw.mqttUri(), deviceId);
    }

    private void tap(TestDevice reader, String deviceId, ByteString token) throws Exception {
        publish(reader, event(deviceId).setNfcTap(NfcTap.newBuilder().setToken(token)
                .setKind(NfcTap.TokenKind.TOKEN_KIND_SESSION)));
    }

    private void scan(TestDevice kiosk, String deviceId, ByteString token) throws Exception {
        publish(kiosk, event(deviceId).setKioskInteraction(KioskInteraction.newBuilder()
                .setSessionScan(KioskInteraction.SessionScan.newBuilder().setSessionToken(token))));
    }

    private void lookup(TestDevice kiosk, String deviceId) throws Exception {
        publish(kiosk, event(deviceId).setKioskInteraction(KioskInteraction.newBuilder()
                .setProductLookup(KioskInteraction.ProductLookup.newBuilder().setSku("shoe-42"))));
    }

    private void feedback(TestDevice kiosk, String deviceId) throws Exception {
        publish(kiosk, event(deviceId).setKioskInteraction(KioskInteraction.newBuilder()
                .setFeedback(KioskInteraction.Feedback.newBuilder().setCsat(4))));
    }

    /** QoS 1, waiting for the PUBACK. */
    private static void publish(TestDevice device, DeviceEvent.Builder event) throws Exception {
        DeviceEvent built = event.build();
        device.publishTo("store/" + STORE + "/devices/" + built.getDeviceId() + "/events", built.toByteArray(), 1)
                .waitForCompletion(WAIT.toMillis());
    }

    private DeviceEvent.Builder event(String deviceId) {
        long seq = seqByDevice.merge(deviceId, 1L, Long::sum);
        return DeviceEvent.newBuilder().setDeviceId(deviceId).setBootId(1).setSeq(seq)
                .setObservedAtMs(System.currentTimeMillis());
    }
}
