package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import com.google.protobuf.ByteString;
import io.floorgate.config.Listeners;
import io.floorgate.config.Pickup;
import io.floorgate.config.Sessions;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.pickup.Order;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.PushClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.Shoppers;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.proto.v1.Sighting;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Buy online, pick up in store, on the demo store on free ports: the order system over HTTP, the shopper's app over
 * HTTP and its WebSocket stream, staff on theirs, receivers, the pickup kiosk and the counter's NFC reader as real
 * Paho clients.
 */
class PickupEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SYSTEM_TOKEN = "order-system-token-0123456789abcdef";
    private static final String CUSTOMER = "customer-7";
    private static final String POINT = "counter-1";
    private static final String STORE = "demo-001";

    @TempDir
    Path dataDir;

    @Test
    void order_whenShopperSaysImHereAndStaffHandOff_thenStaffAndShopperAreToldAndEveryStepIsStored() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(Duration.ofMinutes(5)), dataDir);
             PushClient staff = PushClient.open(gw, "/api/v1/staff/stream", SYSTEM_TOKEN, false)) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn anna = Shoppers.checkIn(app, STORE, false, Optional.of(CUSTOMER));
            try (PushClient shopper = PushClient.open(gw, stream(anna), anna.token(), true)) {
                assertThat(putReady(app, "o-1", "code-1").statusCode()).isEqualTo(201);
                assertThat(gw.gateway().pickupQueueQuery().openOrders()).extracting(Order::id)
                        .as("the queue the ops page reads").containsExactly("o-1");
                assertThat(shopper.next("order_ready", WAIT).getJsonObject("order").getString("orderId"))
                        .isEqualTo("o-1");
                assertThat(putReady(app, "o-1", "code-1").statusCode()).as("same READY again").isEqualTo(200);

                assertThat(post(app, anna, "/orders/o-1", null).statusCode()).isEqualTo(200);
                HttpResponse<String> onMyWay = post(app, anna, "/orders/o-1/on-my-way", "{\"etaMinutes\": 10}");
                assertThat(onMyWay.statusCode()).isEqualTo(200);
                assertThat(new JsonObject(onMyWay.body()).getInteger("etaMinutes")).isEqualTo(10);
                HttpResponse<String> arrived = post(app, anna, "/orders/o-1/arrived", null);
                assertThat(arrived.statusCode()).isEqualTo(200);
                assertThat(new JsonObject(arrived.body()).getString("state")).isEqualTo("ARRIVED");

                JsonObject arrival = staff.next("arrival", WAIT);
                String customerLabel = arrival.getJsonObject("order").getString("customer");
                assertThat(customerLabel).as("a label, never the reference").matches("c-[0-9a-f]{6}");
                assertThat(arrival.getString("message")).contains(customerLabel, "o-1", POINT).doesNotContain(CUSTOMER);
                assertThat(arrival.getString("source")).isEqualTo("app");
                assertThat(shopper.next("arrival_seen", WAIT).getString("message")).contains("seen you");

                HttpResponse<String> handOff = app.send("POST", "/api/v1/orders/o-1/handoff", SYSTEM_TOKEN, null);
                assertThat(handOff.statusCode()).isEqualTo(200);
                assertThat(new JsonObject(handOff.body()).getString("state")).isEqualTo("HANDED_OFF");
                assertThat(gw.gateway().pickupQueueQuery().openOrders()).isEmpty();
                assertThat(staff.next("handoff", WAIT).getString("source")).isEqualTo("staff");
                shopper.next("handed_off", WAIT);
                assertThat(shopper.next("feedback_request", WAIT).getJsonObject("order").getString("orderId"))
                        .isEqualTo("o-1");
            }
            assertThat(gw.count("SELECT COUNT(*) FROM pickup_step WHERE order_id = 'o-1'")).isEqualTo(4);
            assertThat(gw.count("SELECT COUNT(*) FROM pickup_order WHERE order_id = 'o-1' AND state = 'HANDED_OFF'"
                    + " AND handed_off_at >= arrived_at AND arrived_at >= on_the_way_at")).isEqualTo(1);
            assertThat(gw.metric("floorgate_pickup_arrivals_total", "source", "app")).isEqualTo(1);
            assertThat(gw.metric("floorgate_pickup_handoffs_total", "source", "staff")).isEqualTo(1);
            assertThat(gw.metric("floorgate_pickup_wait_seconds_count")).isEqualTo(1);
            assertThat(gw.metric("floorgate_pickup_orders", "state", "handed_off")).isEqualTo(1);
        }
    }

    @Test
    void order_whenShopperIsDetectedInThePickupZone_thenArrivesAndAnNfcTapAtTheCounterHandsItOff() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(Duration.ofMinutes(5)), dataDir);
             PushClient staff = PushClient.open(gw, "/api/v1/staff/stream", SYSTEM_TOKEN, true);
             TestDevice pickup1 = device(gw, "ble-pickup-1");
             TestDevice pickup2 = device(gw, "ble-pickup-2");
             TestDevice nfc = device(gw, "nfc-pickup")) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn bob = Shoppers.checkIn(app, STORE, true, Optional.of(CUSTOMER));
            assertThat(putReady(app, "o-2", "code-2").statusCode()).isEqualTo(201);
            try (PushClient shopper = PushClient.open(gw, stream(bob), bob.token(), false)) {
                shopper.next("order_ready", WAIT);
                assertThat(post(app, bob, "/orders/o-2", null).statusCode()).isEqualTo(200);

                for (long seq = 1; seq <= 3; seq++) {
                    long now = System.currentTimeMillis();
                    sightings(pickup1, "ble-pickup-1", seq, bob.session(), -58, now);
                    sightings(pickup2, "ble-pickup-2", seq, bob.session(), -62, now);
                }

                assertThat(staff.next("arrival", WAIT).getString("source")).isEqualTo("zone");
                shopper.next("arrival_seen", WAIT);
                nfc.publishTo(topic("nfc-pickup"), nfcTap("nfc-pickup", 1, "code-2").toByteArray(), 1)
                        .waitForCompletion(WAIT.toMillis());
                assertThat(staff.next("handoff", WAIT).getString("source")).isEqualTo("nfc");
                shopper.next("feedback_request", WAIT);
            }
            assertThat(gw.metric("floorgate_pickup_arrivals_total", "source", "zone")).isEqualTo(1);
            assertThat(gw.metric("floorgate_pickup_handoffs_total", "source", "nfc")).isEqualTo(1);
            assertThat(gw.count("SELECT COUNT(*) FROM pickup_step WHERE order_id = 'o-2' AND step = 'ARRIVED'"
                    + " AND source = 'zone'")).isEqualTo(1);
        }
    }

    @Test
    void order_whenShopperChecksInAtTheKiosk_thenArrives_andATapAtAnotherReaderDoesNotHandItOff() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(Duration.ofMinutes(5)), dataDir);
             PushClient staff = PushClient.open(gw, "/api/v1/staff/stream", SYSTEM_TOKEN, false);
             TestDevice kiosk = device(gw, "kiosk-pickup");
             TestDevice otherReader = device(gw, "nfc-checkout-1");
             TestDevice nfc = device(gw, "nfc-pickup")) {
            AppClient app = new AppClient(gw);
            assertThat(putReady(app, "o-3", "code-3").statusCode()).isEqualTo(201);
            DeviceEvent checkIn = DeviceEvent.newBuilder().setDeviceId("kiosk-pickup").setBootId(1).setSeq(1)
                    .setObservedAtMs(System.currentTimeMillis()).setKioskInteraction(KioskInteraction.newBuilder()
                            .setPickupCheckIn(KioskInteraction.PickupCheckIn.newBuilder().setOrderCode("code-3")))
                    .build();
            kiosk.publishTo(topic("kiosk-pickup"), checkIn.toByteArray(), 1).waitForCompletion(WAIT.toMillis());

            JsonObject arrival = staff.next("arrival", WAIT);
            assertThat(arrival.getString("source")).isEqualTo("kiosk");
            assertThat(arrival.getJsonObject("order").getString("state")).isEqualTo("ARRIVED");

            otherReader.publishTo(topic("nfc-checkout-1"), nfcTap("nfc-checkout-1", 1, "code-3").toByteArray(), 1)
                    .waitForCompletion(WAIT.toMillis());
            await().atMost(WAIT).untilAsserted(() -> assertThat(gw.metric("floorgate_pickup_device_refused_total"))
                    .isEqualTo(1));
            nfc.publishTo(topic("nfc-pickup"), nfcTap("nfc-pickup", 1, "code-3").toByteArray(), 1)
                    .waitForCompletion(WAIT.toMillis());
            assertThat(staff.next("handoff", WAIT).getString("source")).isEqualTo("nfc");
            assertThat(gw.metric("floorgate_pickup_arrivals_total", "source", "kiosk")).isEqualTo(1);
        }
    }

    @Test
    void requests_whenRefused_thenAnswerTheRightStatusAndJsonError() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(Duration.ofMinutes(5)), dataDir)) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn anna = Shoppers.checkIn(app, STORE, false, Optional.of(CUSTOMER));
            Shoppers.CheckedIn eve = Shoppers.checkIn(app, STORE, false, Optional.of("customer-8"));
            assertThat(putReady(app, "o-4", "code-4").statusCode()).isEqualTo(201);

            assertError(app.send("PUT", "/api/v1/orders/o-5", "wrong-token", readyBody("code-5", POINT)), 401,
                    "unauthorized");
            assertError(app.send("PUT", "/api/v1/orders/o-5", null, readyBody("code-5", POINT)), 401, "unauthorized");
            assertError(app.send("PUT", "/api/v1/orders/o-5", anna.token(), readyBody("code-5", POINT)), 401,
                    "unauthorized");
            assertError(app.send("PUT", "/api/v1/orders/o-5", SYSTEM_TOKEN, readyBody("code-5", "nowhere")), 400,
                    "unknown_pickup_point");
            assertError(app.send("PUT", "/api/v1/orders/o-5", SYSTEM_TOKEN, "{\"status\":"), 400, "malformed_json");
            assertError(app.send("POST", "/api/v1/orders/o-4/handoff", SYSTEM_TOKEN, null), 409,
                    "invalid_transition");
            assertError(post(app, eve, "/orders/o-4/arrived", null), 403, "not_your_order");
            assertError(post(app, eve, "/orders/o-4", null), 403, "not_your_order");
            assertError(post(app, anna, "/orders/o-404/arrived", null), 404, "order_not_found");
            assertError(app.send("POST", "/api/v1/orders/o-404/handoff", SYSTEM_TOKEN, null), 404, "order_not_found");
            assertError(app.send("POST", "/api/v1/sessions/" + anna.session().id() + "/orders/o-4/arrived",
                    eve.token(), null), 401, "unauthorized");
            assertError(post(app, anna, "/orders/o-4/on-my-way", "{\"etaMinutes\": -3}"), 400, "invalid_request");
            assertThatThrownBy(() -> PushClient.open(gw, "/api/v1/staff/stream", "wrong-token", true))
                    .as("staff stream with a wrong token").hasStackTraceContaining("status code 401");
            assertThatThrownBy(() -> PushClient.open(gw, stream(anna), eve.token(), false))
                    .as("someone else's stream").hasStackTraceContaining("status code 401");

            assertThat(post(app, anna, "/orders/o-4/arrived", null).statusCode()).isEqualTo(200);
            assertError(post(app, anna, "/orders/o-4/on-my-way", null), 409, "invalid_transition");
            assertError(app.send("PUT", "/api/v1/orders/o-4", SYSTEM_TOKEN, readyBody("code-4", POINT)), 409,
                    "invalid_transition");
            assertThat(gw.count("SELECT COUNT(*) FROM pickup_step WHERE order_id = 'o-4'")).isEqualTo(2);
        }
    }

    @Test
    void orders_whenNoSystemClientTokenIsConfigured_thenAre503() {
        try (RunningGateway gw = RunningGateway.start(TestStore.config(), dataDir)) {
            assertError(new AppClient(gw).send("PUT", "/api/v1/orders/o-1", SYSTEM_TOKEN,
                    readyBody("code-1", POINT)), 503, "system_client_not_configured");
        }
    }

    @Test
    void arrival_whenTheServiceLevelPasses_thenStaffAreAlerted_andStepsSurviveARestart() throws Exception {
        StoreConfig config = demo(Duration.ofSeconds(1));
        try (RunningGateway gw = RunningGateway.start(config, dataDir);
             PushClient staff = PushClient.open(gw, "/api/v1/staff/stream", SYSTEM_TOKEN, false)) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn anna = Shoppers.checkIn(app, STORE, false, Optional.of(CUSTOMER));
            assertThat(putReady(app, "o-6", "code-6").statusCode()).isEqualTo(201);
            assertThat(post(app, anna, "/orders/o-6/arrived", null).statusCode()).isEqualTo(200);

            JsonObject breach = staff.next("sla_breach", WAIT);
            assertThat(breach.getDouble("waitedSeconds")).isGreaterThan(1.0);
            assertThat(gw.metric("floorgate_pickup_sla_breaches_total")).isEqualTo(1);
        }

        try (RunningGateway again = RunningGateway.start(config, dataDir)) {
            AppClient app = new AppClient(again);
            assertThat(again.metric("floorgate_pickup_orders", "state", "arrived")).isEqualTo(1);
            HttpResponse<String> handOff = app.send("POST", "/api/v1/orders/o-6/handoff", SYSTEM_TOKEN, null);
            assertThat(handOff.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(handOff.body()).getString("arrivedAt")).isNotNull();
            assertThat(again.count("SELECT COUNT(*) FROM pickup_step WHERE order_id = 'o-6'")).isEqualTo(3);
        }
    }

    /** The demo store on free ports, with an order system token and the given service level. */
    private static StoreConfig demo(Duration serviceLevel) throws Exception {
        StoreConfig d = StoreConfigLoader.loadDemo().withListeners(new Listeners("127.0.0.1", 0, 0, Optional.empty()));
        return new StoreConfig(d.source(), d.storeId(), d.chainId(), d.name(), d.floorPlan(), d.zones(), d.devices(),
                d.products(), new Pickup(d.pickup().points(), serviceLevel), d.limits(), d.listeners(), d.ingest(),
                d.upstream(), d.retention(), new Sessions(d.sessions().inactivityTimeout(),
                d.sessions().rotationPeriod(), Optional.of(SYSTEM_TOKEN)));
    }

    private static HttpResponse<String> putReady(AppClient app, String orderId, String code) {
        return app.send("PUT", "/api/v1/orders/" + orderId, SYSTEM_TOKEN, readyBody(code, POINT));
    }

    private static String readyBody(String code, String point) {
        return new JsonObject().put("status", "READY").put("pickupPointId", point).put("customerRef", CUSTOMER)
                .put("code", code).encode();
    }

    private static HttpResponse<String> post(AppClient app, Shoppers.CheckedIn shopper, String path, String body) {
        return app.send("POST", "/api/v1/sessions/" + shopper.session().id() + path, shopper.token(), body);
    }

    private static String stream(Shoppers.CheckedIn shopper) {
        return "/api/v1/sessions/" + shopper.session().id() + "/stream";
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("error")).isEqualTo(code);
        assertThat(body.getString("message")).isNotBlank();
    }

    private static TestDevice device(RunningGateway gw, String deviceId) throws Exception {
        return TestDevice.connectToDemoStore(gw.mqttUri(), deviceId);
    }

    private static String topic(String deviceId) {
        return "store/" + STORE + "/devices/" + deviceId + "/events";
    }

    private static DeviceEvent nfcTap(String deviceId, long seq, String code) {
        return DeviceEvent.newBuilder().setDeviceId(deviceId).setBootId(1).setSeq(seq)
                .setObservedAtMs(System.currentTimeMillis()).setNfcTap(NfcTap.newBuilder()
                        .setToken(ByteString.copyFromUtf8(code)).setKind(NfcTap.TokenKind.TOKEN_KIND_ORDER))
                .build();
    }

    private static void sightings(TestDevice receiver, String deviceId, long seq, ShopperSession shopper, int rssiDbm,
                                  long now) throws Exception {
        BeaconSightings batch = BeaconSightings.newBuilder().setWindowMs(1000)
                .addSightings(Sighting.newBuilder().setObservedId(Shoppers.advertisedIdAt(shopper, now))
                        .setRssiDbm(rssiDbm).setTxPowerDbm(-59).setCount(4))
                .build();
        DeviceEvent event = DeviceEvent.newBuilder().setDeviceId(deviceId).setBootId(1).setSeq(seq)
                .setObservedAtMs(now).setBeaconSightings(batch).build();
        receiver.publishTo(topic(deviceId), event.toByteArray(), 0);
    }
}
