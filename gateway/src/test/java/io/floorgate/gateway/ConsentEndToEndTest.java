package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.floorgate.config.Listeners;
import io.floorgate.config.Sessions;
import io.floorgate.config.Sessions.LocationWithdrawal;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.config.Upstream;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.location.ShopperLocation;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.Shoppers;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.upstream.OutboxPriority;
import io.floorgate.gateway.upstream.Pseudonyms;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.proto.v1.ShopperRecord;
import io.floorgate.proto.v1.Sighting;
import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.ZoneSummary;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Consent changed during a visit ({@code PATCH /api/v1/sessions/{id}/consent}), on the demo store on free ports: the
 * pickup zone's and the entrance's receivers report every few hundred milliseconds as real Paho clients, the app
 * speaks HTTP, and what the gateway stored is read from its H2 file, the upstream summaries from its outbox.
 */
class ConsentEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long REPORT_PERIOD_MS = 300;
    private static final String STORE = "demo-001";
    private static final String ANNA_REF = "customer-anna-consent-1";
    private static final String CONSENT_ROUTE = "PATCH /api/v1/sessions/:sessionId/consent";
    private static final String ANONYMOUS_VISITS = "SELECT COUNT(*) FROM zone_visit WHERE session_id LIKE 'anon-%'";

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(LocationWithdrawal.class)
    void location_whenWithdrawnMidVisit_thenLocatingStopsAtOnce_storedVisitsFollowThePolicy_andGivingItBackLocatesAgain(
            LocationWithdrawal policy) throws Exception {
        StoreConfig store = demo(policy, Duration.ofSeconds(60));
        try (RunningGateway gw = RunningGateway.start(store, dataDir);
             Receivers receivers = new Receivers(gw);
             TestDevice nfc = device(gw, "nfc-pickup")) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn anna = Shoppers.checkIn(app, STORE, true, true, Optional.of(ANNA_REF));
            Shoppers.CheckedIn bob = Shoppers.checkIn(app, STORE, true, true, Optional.empty());
            String annaId = anna.session().id();
            receivers.hear(anna.session(), bob.session());

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(zoneOf(gw, annaId)).contains("pickup");
                assertThat(zoneOf(gw, bob.session().id())).contains("pickup");
                assertThat(gw.gateway().locationQuery().occupancy().get("pickup").linked()).isEqualTo(2);
                assertThat(visits(gw, annaId)).isPositive();
            });
            tap(nfc, anna.session());
            assertThat(gw.count("SELECT COUNT(*) FROM session_touch WHERE session_id = '" + annaId
                    + "' AND zone_id = 'pickup'")).isEqualTo(1);

            HttpResponse<String> withdrawn = patch(app, anna, "{\"location\": false}");

            assertThat(withdrawn.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(withdrawn.body()).getJsonObject("consent"))
                    .isEqualTo(new JsonObject().put("location", false).put("analytics", true));
            assertThat(zoneOf(gw, annaId)).as("let go before the answer").isEmpty();
            assertThat(gw.gateway().locationQuery().occupancy().get("pickup").linked()).isEqualTo(1);
            assertThat(app.get("/api/v1/sessions/" + annaId + "/location", anna.token()).statusCode())
                    .isEqualTo(403);
            assertThat(visits(gw, annaId)).as("no visit stored under her session").isZero();
            if (policy == LocationWithdrawal.ANONYMIZE) {
                assertThat(gw.count("SELECT COUNT(DISTINCT session_id) FROM zone_visit WHERE session_id LIKE 'anon-%'"))
                        .as("her visits kept under one random id").isEqualTo(1);
                assertThat(gw.count("SELECT COUNT(*) FROM zone_visit WHERE session_id LIKE 'anon-%'"
                        + " AND exited_at IS NULL")).as("the open visit closed first").isZero();
            } else {
                assertThat(gw.count(ANONYMOUS_VISITS)).isZero();
            }
            assertThat(gw.count("SELECT COUNT(*) FROM session_touch WHERE session_id = '" + annaId
                    + "' AND zone_id IS NULL")).as("the tap stays, its zone goes").isEqualTo(1);
            long anonymous = gw.count(ANONYMOUS_VISITS);
            assertThat(gw.count("SELECT COUNT(*) FROM shopper_session WHERE id = '" + annaId
                    + "' AND NOT consent_location AND consent_analytics")).isEqualTo(1);
            assertThat(gw.metric("floorgate_sessions_consent_changes_total", "consent", "location", "change",
                    "withdrawn")).isEqualTo(1);

            // Heard on: every receiver's next two reports count her as an unknown advertiser, and nothing else.
            double unresolved = gw.metric("floorgate_location_sightings_total", "resolved", "false");
            await().atMost(WAIT).until(() -> gw.metric("floorgate_location_sightings_total", "resolved", "false")
                    >= unresolved + 2 * Receivers.IDS.size());
            assertThat(zoneOf(gw, annaId)).isEmpty();
            assertThat(visits(gw, annaId)).isZero();
            assertThat(gw.count(ANONYMOUS_VISITS)).as("none added to the anonymized ones").isEqualTo(anonymous);
            assertThat(gw.gateway().locationQuery().occupancy().get("pickup").linked()).isEqualTo(1);
            assertThat(zoneOf(gw, bob.session().id())).as("others are located as before").contains("pickup");

            HttpResponse<String> given = patch(app, anna, "{\"location\": true}");

            assertThat(given.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(given.body()).getJsonObject("consent").getBoolean("location")).isTrue();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(zoneOf(gw, annaId)).contains("pickup");
                assertThat(visits(gw, annaId)).isPositive();
                assertThat(gw.gateway().locationQuery().occupancy().get("pickup").linked()).isEqualTo(2);
            });
        }
    }

    @Test
    void analytics_whenWithdrawnMidWindow_thenNoSummaryClosedAfterTheAnswerHoldsTheShoppersRecord() throws Exception {
        StoreConfig store = demo(LocationWithdrawal.DELETE, Duration.ofSeconds(1));
        ByteString annaHash = new Pseudonyms(store.upstream().hashKey()).customer(ANNA_REF);
        try (RunningGateway gw = RunningGateway.start(store, dataDir);
             Receivers receivers = new Receivers(gw)) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn anna = Shoppers.checkIn(app, STORE, true, true, Optional.of(ANNA_REF));
            receivers.hear(anna.session());
            await().atMost(WAIT).until(() -> summaries(gw).stream().anyMatch(s -> holds(s, annaHash)));

            HttpResponse<String> withdrawn = patch(app, anna, "{\"analytics\": false}");
            long answeredAt = System.currentTimeMillis();

            assertThat(withdrawn.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(withdrawn.body()).getJsonObject("consent"))
                    .isEqualTo(new JsonObject().put("location", true).put("analytics", false));
            await().atMost(WAIT).until(() -> summaries(gw).stream().filter(s -> s.getWindowStartMs() > answeredAt)
                    .count() >= 2);
            List<StoreSummary> after = summaries(gw).stream().filter(s -> s.getWindowEndMs() > answeredAt).toList();
            assertThat(after).as("the window in progress at the answer, and every later one")
                    .noneMatch(s -> holds(s, annaHash));
            assertThat(after).as("she is still located, and counts in the totals as anyone does")
                    .anyMatch(s -> zone(s, "pickup").getLinkedPeak() == 1);
            assertThat(zoneOf(gw, anna.session().id())).contains("pickup");
            assertThat(gw.count("SELECT COUNT(*) FROM shopper_session WHERE id = '" + anna.session().id()
                    + "' AND consent_location AND NOT consent_analytics")).isEqualTo(1);
        }
    }

    @Test
    void consent_whenChangedAndTheGatewayRestarts_thenTheSessionComesBackWithTheChangedConsent() throws Exception {
        StoreConfig store = demo(LocationWithdrawal.DELETE, Duration.ofSeconds(60));
        Shoppers.CheckedIn anna;
        try (RunningGateway gw = RunningGateway.start(store, dataDir)) {
            anna = Shoppers.checkIn(new AppClient(gw), STORE, true, true, Optional.empty());
            assertThat(patch(new AppClient(gw), anna, "{\"location\": false, \"analytics\": false}").statusCode())
                    .isEqualTo(200);
        }

        try (RunningGateway again = RunningGateway.start(store, dataDir)) {
            AppClient app = new AppClient(again);
            HttpResponse<String> location = app.get("/api/v1/sessions/" + anna.session().id() + "/location",
                    anna.token());

            assertThat(location.statusCode()).isEqualTo(403);
            assertThat(new JsonObject(location.body()).getString("error")).isEqualTo("location_consent_missing");
            assertThat(again.gateway().sessions().find(anna.session().id())).hasValueSatisfying(session -> {
                assertThat(session.locationConsent()).isFalse();
                assertThat(session.analyticsConsent()).isFalse();
            });
        }
    }

    @Test
    void consent_whenTheSessionIsUnknownOrTheBodyIsWrong_thenAClearJsonErrorIsCounted_andNothingChanges()
            throws Exception {
        StoreConfig store = demo(LocationWithdrawal.DELETE, Duration.ofSeconds(60));
        try (RunningGateway gw = RunningGateway.start(store, dataDir)) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn anna = Shoppers.checkIn(app, STORE, true, true, Optional.empty());
            String path = "/api/v1/sessions/" + anna.session().id() + "/consent";

            assertError(app.send("PATCH", "/api/v1/sessions/0123456789abcdef0123456789abcdef/consent", anna.token(),
                    "{\"location\": false}"), 404, "session_not_found");
            assertError(app.send("PATCH", path, anna.token(), "{\"location\": "), 400, "malformed_json");
            assertError(app.send("PATCH", path, anna.token(), "{\"location\": \"no\"}"), 400, "invalid_request");
            assertError(app.send("PATCH", path, anna.token(), "{}"), 400, "invalid_request");
            HttpResponse<String> unknown = app.send("PATCH", path, anna.token(), "{\"marketing\": false}");
            assertError(unknown, 400, "invalid_request");
            assertThat(new JsonObject(unknown.body()).getString("message")).contains("marketing", "location",
                    "analytics");
            assertError(app.send("PATCH", path, "not-the-token", "{\"location\": false}"), 401, "unauthorized");

            assertThat(gw.metric("floorgate_api_requests_total", "route", CONSENT_ROUTE, "status", "400"))
                    .isEqualTo(4);
            assertThat(gw.metric("floorgate_api_requests_total", "route", CONSENT_ROUTE, "status", "404"))
                    .isEqualTo(1);
            assertThat(gw.count("SELECT COUNT(*) FROM shopper_session WHERE consent_location AND consent_analytics"))
                    .isEqualTo(1);
            assertThat(gw.gateway().sessions().find(anna.session().id()).orElseThrow().locationConsent()).isTrue();
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(new JsonObject(response.body()).getString("error")).isEqualTo(code);
    }

    private static HttpResponse<String> patch(AppClient app, Shoppers.CheckedIn shopper, String body) {
        return app.send("PATCH", "/api/v1/sessions/" + shopper.session().id() + "/consent", shopper.token(), body);
    }

    private static Optional<String> zoneOf(RunningGateway gw, String sessionId) {
        return gw.gateway().locationQuery().locationOf(sessionId).map(ShopperLocation::zoneId);
    }

    private static long visits(RunningGateway gw, String sessionId) {
        return gw.count("SELECT COUNT(*) FROM zone_visit WHERE session_id = '" + sessionId + "'");
    }

    /** The shopper taps their phone (touch token) on the pickup counter's NFC reader, at QoS 1. */
    private static void tap(TestDevice nfc, ShopperSession shopper) throws Exception {
        nfc.publishTo("store/" + STORE + "/devices/nfc-pickup/events", DeviceEvent.newBuilder()
                .setDeviceId("nfc-pickup").setBootId(1).setSeq(1).setObservedAtMs(System.currentTimeMillis())
                .setNfcTap(NfcTap.newBuilder().setKind(NfcTap.TokenKind.TOKEN_KIND_SESSION)
                        .setToken(Shoppers.touchTokenAt(shopper, System.currentTimeMillis())))
                .build().toByteArray(), 1).waitForCompletion(WAIT.toMillis());
    }

    /** The summaries in the outbox, oldest first: this store has no uplink, so every one stays there. */
    private static List<StoreSummary> summaries(RunningGateway gw) throws Exception {
        List<StoreSummary> summaries = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(gw.gateway().jdbcUrl(), "floorgate", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT body FROM upstream_outbox WHERE priority = "
                     + OutboxPriority.SUMMARY.column() + " ORDER BY seq")) {
            while (rs.next()) {
                summaries.add(StoreSummary.parseFrom(rs.getBytes(1)));
            }
        }
        return summaries;
    }

    private static boolean holds(StoreSummary summary, ByteString shopperHash) {
        return summary.getShoppersList().stream().map(ShopperRecord::getShopperHash).anyMatch(shopperHash::equals);
    }

    private static ZoneSummary zone(StoreSummary summary, String zoneId) {
        return summary.getZonesList().stream().filter(z -> z.getZoneId().equals(zoneId)).findFirst().orElseThrow();
    }

    private static TestDevice device(RunningGateway gw, String deviceId) throws Exception {
        return TestDevice.connectToDemoStore(gw.mqttUri(), deviceId);
    }

    /** The demo store on free ports, with the given withdrawal policy and summary window, and no uplink. */
    private static StoreConfig demo(LocationWithdrawal policy, Duration summaryWindow) throws Exception {
        StoreConfig d = StoreConfigLoader.loadDemo().withListeners(new Listeners("127.0.0.1", 0, 0, Optional.empty()));
        Upstream u = d.upstream();
        Sessions s = d.sessions();
        return new StoreConfig(d.source(), d.storeId(), d.chainId(), d.name(), d.floorPlan(), d.zones(), d.devices(),
                d.products(), d.pickup(), d.limits(), d.listeners(), d.ingest(), new Upstream(u.brokerUri(),
                u.clientId(), summaryWindow, u.outboxMaxRows(), u.outboxMaxAge(), u.hashKey()), d.retention(),
                new Sessions(s.inactivityTimeout(), s.rotationPeriod(), s.systemClientToken(), policy), d.staff());
    }

    /**
     * The pickup zone's two receivers and the entrance's, reporting every {@link #REPORT_PERIOD_MS} what they hear of
     * the shoppers' current advertised ids, dated as receivers date their windows: the shoppers stand in the pickup
     * zone for as long as the test runs.
     */
    private static final class Receivers implements AutoCloseable {

        /** Each receiver and the RSSI it hears the shoppers at. */
        static final Map<String, Integer> IDS = Map.of("ble-pickup-1", -58, "ble-pickup-2", -64,
                "ble-entrance-1", -84);

        private final List<TestDevice> devices = new ArrayList<>();
        private final Map<String, Long> seqs = new ConcurrentHashMap<>();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        Receivers(RunningGateway gw) throws Exception {
            for (String id : IDS.keySet()) {
                devices.add(device(gw, id));
            }
        }

        void hear(ShopperSession... shoppers) {
            timer.scheduleAtFixedRate(() -> report(shoppers), 0, REPORT_PERIOD_MS, TimeUnit.MILLISECONDS);
        }

        private void report(ShopperSession... shoppers) {
            long now = System.currentTimeMillis();
            for (TestDevice device : devices) {
                String id = device.client().getClientId();
                BeaconSightings.Builder batch = BeaconSightings.newBuilder().setWindowMs((int) REPORT_PERIOD_MS);
                for (ShopperSession shopper : shoppers) {
                    batch.addSightings(Sighting.newBuilder().setObservedId(Shoppers.advertisedIdAt(shopper, now))
                            .setRssiDbm(IDS.get(id)).setTxPowerDbm(-59).setCount(2));
                }
                long seq = seqs.merge(id, 1L, Long::sum);
                try {
                    device.publishTo("store/" + STORE + "/devices/" + id + "/events", DeviceEvent.newBuilder()
                            .setDeviceId(id).setBootId(1).setSeq(seq).setObservedAtMs(now)
                            .setBeaconSightings(batch).build().toByteArray(), 0);
                } catch (Exception e) {
                    throw new IllegalStateException("receiver " + id + " could not report", e);
                }
            }
        }

        @Override
        public void close() throws Exception {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            for (TestDevice device : devices) {
                device.close();
            }
        }
    }
}
