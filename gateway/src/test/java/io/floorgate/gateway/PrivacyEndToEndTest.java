package io.floorgate.gateway;

import static io.floorgate.gateway.testing.StaffAccounts.ADMIN;
import static io.floorgate.gateway.testing.StaffAccounts.ASSOCIATE;
import static io.floorgate.gateway.testing.StaffAccounts.MANAGER;
import static io.floorgate.gateway.testing.StaffAccounts.passwordOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import io.floorgate.config.Listeners;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.privacy.CustomerKeys;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.Shoppers;
import io.floorgate.gateway.testing.StaffClient;
import io.floorgate.gateway.testing.StaffClient.Answer;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.upstream.Pseudonyms;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.ErasureNotice;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.proto.v1.UpstreamEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A customer's access and erasure requests and the audit log, on the demo store on free ports: the app checks in with
 * a customer reference over HTTP, NFC readers and kiosks are real Paho clients, the order system and staff call the
 * API, and the rows are read from H2 as the gateway left them.
 */
class PrivacyEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String STORE = "demo-001";
    private static final String REFERENCE = "loyalty-4711-anna";
    private static final String ORDER = "o-privacy-1";

    @TempDir
    Path dataDir;

    private final Map<String, Long> seqByDevice = new HashMap<>();

    @Test
    void export_whenTheCustomerVisitedTouchedOrderedAndGaveFeedback_thenTheDocumentHoldsEveryTablesRows()
            throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(), dataDir)) {
            Shoppers.CheckedIn anna = visit(gw);
            StaffClient admin = staff(gw, ADMIN);

            Answer export = admin.get("/api/v1/privacy/customers/" + REFERENCE);

            assertThat(export.status()).isEqualTo(200);
            JsonObject doc = export.json();
            assertThat(doc.getJsonArray("sessions")).hasSize(1);
            assertThat(doc.getJsonArray("sessions").getJsonObject(0).getString("sessionId"))
                    .isEqualTo(anna.session().id());
            assertThat(strings(doc.getJsonArray("zoneVisits"), "zoneId")).contains("checkout");
            assertThat(strings(doc.getJsonArray("touches"), "kind"))
                    .containsExactlyInAnyOrder("nfc_tap", "kiosk_scan", "product_lookup", "feedback");
            JsonObject order = doc.getJsonArray("orders").getJsonObject(0);
            assertThat(order.getString("orderId")).isEqualTo(ORDER);
            assertThat(order.getString("state")).isEqualTo("ARRIVED");
            assertThat(strings(order.getJsonArray("steps"), "step")).containsExactly("READY", "ARRIVED");
            assertThat(doc.getJsonArray("kioskFeedback").getJsonObject(0).getInteger("csat")).isEqualTo(4);
            assertThat(export.body()).as("no secret is exported").doesNotContain("advertising", "token");
            assertThat(gw.count("SELECT COUNT(*) FROM audit_log WHERE action = 'customer.export' AND staff_id = 'admin'"
                    + " AND role = 'admin' AND subject = X'" + hex(hash(REFERENCE)) + "'")).isEqualTo(1);
        }
    }

    @Test
    void erase_thenNoRowNamesTheCustomer_liveStateIsCleared_andTheChainIsToldByKeyedHash() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(), dataDir)) {
            Shoppers.CheckedIn anna = visit(gw);
            Shoppers.CheckedIn bob = Shoppers.checkIn(new AppClient(gw), STORE, true, Optional.of("someone-else"));
            StaffClient admin = staff(gw, ADMIN);

            Answer erased = admin.send("DELETE", "/api/v1/privacy/customers/" + REFERENCE, null, csrf(admin));

            assertThat(erased.status()).isEqualTo(200);
            JsonObject rows = erased.json().getJsonObject("rows");
            assertThat(rows.getInteger("sessionsDeleted")).isEqualTo(1);
            assertThat(rows.getInteger("zoneVisitsDeleted")).isPositive();
            assertThat(rows.getInteger("touchesDeleted")).isEqualTo(4);
            assertThat(rows.getInteger("deviceEventsDeleted")).as("the tap and the scan: they carried her token")
                    .isEqualTo(2);
            assertThat(rows.getInteger("ordersAnonymized")).isEqualTo(1);
            assertThat(rows.getInteger("stepsAnonymized")).isEqualTo(2);
            assertThat(erased.json().getString("erasedBy")).isEqualTo(ADMIN);

            String id = anna.session().id();
            String hash = hex(hash(REFERENCE));
            for (String sql : List.of(
                    "SELECT COUNT(*) FROM shopper_session WHERE id = '" + id + "' OR customer_hash = X'" + hash + "'",
                    "SELECT COUNT(*) FROM zone_visit WHERE session_id = '" + id + "'",
                    "SELECT COUNT(*) FROM session_touch WHERE session_id = '" + id + "'",
                    "SELECT COUNT(*) FROM pickup_order WHERE order_id = '" + ORDER + "' OR customer_hash = X'" + hash
                            + "' OR session_id = '" + id + "'",
                    "SELECT COUNT(*) FROM pickup_step WHERE order_id = '" + ORDER + "'",
                    "SELECT COUNT(*) FROM device_event WHERE device_id = 'nfc-checkout-1'")) {
                assertThat(gw.count(sql)).as(sql).isZero();
            }
            assertThat(gw.count("SELECT COUNT(*) FROM pickup_order WHERE order_id LIKE 'erased-%'"
                    + " AND customer_hash IS NULL AND code = 'erased' AND arrived_at IS NOT NULL"))
                    .as("the order's times are kept, anonymized").isEqualTo(1);
            assertThat(gw.count("SELECT COUNT(*) FROM pickup_step WHERE order_id LIKE 'erased-%'")).isEqualTo(2);
            assertThat(gw.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'kiosk-footwear'"))
                    .as("the lookup and the feedback stay, linked to nobody").isEqualTo(2);
            assertThat(gw.count("SELECT COUNT(*) FROM erasures WHERE customer_hash = X'" + hash
                    + "' AND staff_id = 'admin' AND sessions_deleted = 1")).isEqualTo(1);
            assertThat(gw.count("SELECT COUNT(*) FROM audit_log WHERE action = 'customer.erasure'"
                    + " AND subject = X'" + hash + "'")).isEqualTo(1);
            assertThat(gw.count("SELECT COUNT(*) FROM shopper_session WHERE id = '" + bob.session().id() + "'"))
                    .as("another customer's data stays").isEqualTo(1);

            Pseudonyms upstream = new Pseudonyms(gw.gateway().config().upstream().hashKey());
            List<byte[]> outbox = outboxBodies(gw);
            List<ErasureNotice> notices = new ArrayList<>();
            for (byte[] body : outbox) {
                UpstreamEvent event = parseEvent(body);
                if (event != null && event.hasErasureNotice()) {
                    notices.add(event.getErasureNotice());
                } else {
                    assertThat(indexOf(body, upstream.customer(REFERENCE).toByteArray()))
                            .as("no other outbox row names her").isNegative();
                }
            }
            assertThat(notices).containsExactly(ErasureNotice.newBuilder()
                    .setCustomerHash(upstream.customer(REFERENCE)).addOrderHashes(upstream.order(ORDER)).build());
            for (byte[] body : outbox) {
                assertThat(indexOf(body, REFERENCE.getBytes(StandardCharsets.UTF_8))).isNegative();
            }

            assertThat(gw.gateway().sessions().find(id)).as("her session ended").isEmpty();
            assertThat(gw.gateway().locationQuery().locationOf(id)).isEmpty();
            assertThat(gw.gateway().pickupQueueQuery().openOrders()).extracting(o -> o.id()).doesNotContain(ORDER);
            assertThat(new AppClient(gw).get("/api/v1/sessions/" + id + "/location", anna.token()).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void privacyAndAuditRoutes_whenCalledBelowAdmin_thenAre403AndNothingIsErased() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(), dataDir)) {
            Shoppers.checkIn(new AppClient(gw), STORE, true, Optional.of(REFERENCE));
            for (String role : List.of(MANAGER, ASSOCIATE)) {
                StaffClient member = staff(gw, role);

                assertThat(member.get("/api/v1/privacy/customers/" + REFERENCE).status()).isEqualTo(403);
                Answer erase = member.send("DELETE", "/api/v1/privacy/customers/" + REFERENCE, null, csrf(member));
                assertThat(erase.status()).isEqualTo(403);
                assertThat(erase.json().getString("error")).isEqualTo("role_forbidden");
                assertThat(member.get("/api/v1/audit").status()).isEqualTo(403);
            }
            assertThat(StaffClient.from(gw, "127.0.0.1").get("/api/v1/privacy/customers/" + REFERENCE).status())
                    .isEqualTo(401);
            assertThat(gw.count("SELECT COUNT(*) FROM shopper_session")).isEqualTo(1);
            assertThat(gw.count("SELECT COUNT(*) FROM erasures")).isZero();
        }
    }

    @Test
    void staffOpeningAPickup_isInTheAuditLog_whichAnAdminExports() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(), dataDir)) {
            AppClient app = new AppClient(gw);
            assertThat(app.send("PUT", "/api/v1/orders/" + ORDER, systemToken(gw), orderBody()).statusCode())
                    .isEqualTo(201);
            StaffClient associate = staff(gw, ASSOCIATE);
            assertThat(associate.post("/api/v1/orders/" + ORDER + "/coming", csrf(associate)).status())
                    .isEqualTo(200);

            Answer log = staff(gw, ADMIN).get("/api/v1/audit?from=2020-01-01T00:00:00Z");

            assertThat(log.status()).isEqualTo(200);
            JsonObject coming = log.json().getJsonArray("entries").getJsonObject(0);
            assertThat(coming.getString("action")).isEqualTo("pickup.coming");
            assertThat(coming.getString("staffId")).isEqualTo(ASSOCIATE);
            assertThat(coming.getString("role")).isEqualTo("associate");
            assertThat(coming.getString("subject")).isEqualTo(hex(hash(REFERENCE)));
            assertThat(coming.getString("detail")).contains(ORDER);
            assertThat(log.body()).doesNotContain(REFERENCE);
            assertThat(gw.count("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.export'")).isEqualTo(1);
            assertThat(staff(gw, ADMIN).get("/api/v1/audit?from=yesterday").status()).isEqualTo(400);
        }
    }

    @Test
    void databaseFiles_afterACheckInAndAnOrder_holdTheCustomerReferenceOnlyAsKeyedHashes() throws Exception {
        try (RunningGateway gw = RunningGateway.start(demo(), dataDir)) {
            AppClient app = new AppClient(gw);
            Shoppers.checkIn(app, STORE, true, Optional.of(REFERENCE));
            assertThat(app.send("PUT", "/api/v1/orders/" + ORDER, systemToken(gw), orderBody()).statusCode())
                    .isEqualTo(201);
            assertThat(gw.count("SELECT COUNT(*) FROM shopper_session WHERE customer_hash = X'" + hex(hash(REFERENCE))
                    + "'")).isEqualTo(1);
            assertThat(gw.count("SELECT COUNT(*) FROM pickup_order WHERE customer_hash = X'" + hex(hash(REFERENCE))
                    + "'")).isEqualTo(1);
        }

        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(f -> f.getFileName().toString().endsWith(".mv.db"));
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            assertThat(indexOf(bytes, REFERENCE.getBytes(StandardCharsets.UTF_8))).as(file.toString()).isNegative();
            assertThat(indexOf(bytes, REFERENCE.getBytes(StandardCharsets.UTF_16BE))).as(file.toString())
                    .isNegative();
        }
    }

    /**
     * Anna checks in with her reference and location consent, taps at a checkout reader (which places her in the
     * checkout zone: a zone visit), scans her token at a kiosk, looks a product up and leaves feedback there; the order
     * system makes her order ready and she says she has arrived.
     */
    private Shoppers.CheckedIn visit(RunningGateway gw) throws Exception {
        AppClient app = new AppClient(gw);
        Shoppers.CheckedIn anna = Shoppers.checkIn(app, STORE, true, Optional.of(REFERENCE));
        try (TestDevice reader = device(gw, "nfc-checkout-1"); TestDevice kiosk = device(gw, "kiosk-footwear")) {
            publish(reader, event("nfc-checkout-1").setNfcTap(NfcTap.newBuilder()
                    .setToken(Shoppers.touchTokenAt(anna.session(), System.currentTimeMillis()))
                    .setKind(NfcTap.TokenKind.TOKEN_KIND_SESSION)));
            publish(kiosk, event("kiosk-footwear").setKioskInteraction(KioskInteraction.newBuilder()
                    .setSessionScan(KioskInteraction.SessionScan.newBuilder()
                            .setSessionToken(Shoppers.touchTokenAt(anna.session(), System.currentTimeMillis())))));
            publish(kiosk, event("kiosk-footwear").setKioskInteraction(KioskInteraction.newBuilder()
                    .setProductLookup(KioskInteraction.ProductLookup.newBuilder().setSku("shoe-42"))));
            publish(kiosk, event("kiosk-footwear").setKioskInteraction(KioskInteraction.newBuilder()
                    .setFeedback(KioskInteraction.Feedback.newBuilder().setCsat(4))));
        }
        assertThat(app.send("PUT", "/api/v1/orders/" + ORDER, systemToken(gw), orderBody()).statusCode())
                .isEqualTo(201);
        assertThat(app.send("POST", "/api/v1/sessions/" + anna.session().id() + "/orders/" + ORDER + "/arrived",
                anna.token(), null).statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> gw.count("SELECT COUNT(*) FROM zone_visit WHERE session_id = '"
                + anna.session().id() + "'") > 0);
        assertThat(gw.count("SELECT COUNT(*) FROM session_touch WHERE session_id = '" + anna.session().id() + "'"))
                .isEqualTo(4);
        return anna;
    }

    /** The demo store, with its staff accounts and order system token, on free ports. */
    private static StoreConfig demo() throws Exception {
        return StoreConfigLoader.loadDemo().withListeners(new Listeners("127.0.0.1", 0, 0, Optional.empty()));
    }

    private static String orderBody() {
        return new JsonObject().put("status", "READY").put("pickupPointId", "counter-1").put("customerRef", REFERENCE)
                .put("code", "code-" + ORDER).encode();
    }

    private static String systemToken(RunningGateway gw) {
        return gw.gateway().config().sessions().systemClientToken().orElseThrow();
    }

    private static StaffClient staff(RunningGateway gw, String id) {
        StaffClient client = StaffClient.from(gw, "127.0.0.1");
        assertThat(client.login(id, passwordOf(id)).status()).isEqualTo(200);
        return client;
    }

    private static String csrf(StaffClient client) {
        return client.get("/api/v1/staff/me").json().getString("csrfToken");
    }

    /** The customer's hash as the gateway stores it: with the local key it created in the data directory. */
    private CustomerHash hash(String reference) {
        CustomerKeys keys = new CustomerKeys(dataDir, new Pseudonyms("unused-for-the-local-hash"));
        keys.load();
        return keys.hash(reference);
    }

    private static String hex(CustomerHash hash) {
        return HexFormat.of().formatHex(hash.bytes());
    }

    private static List<String> strings(JsonArray rows, String field) {
        return rows.stream().map(JsonObject.class::cast).map(r -> r.getString(field)).toList();
    }

    private static List<byte[]> outboxBodies(RunningGateway gw) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(gw.gateway().jdbcUrl(), "floorgate", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT priority, body FROM upstream_outbox ORDER BY seq")) {
            while (rs.next()) {
                bodies.add(rs.getBytes(2));
            }
        }
        return bodies;
    }

    /** The body as an event, or null for a summary (or anything that is not an event). */
    private static UpstreamEvent parseEvent(byte[] body) {
        try {
            UpstreamEvent event = UpstreamEvent.parseFrom(body);
            return event.getEventCase() == UpstreamEvent.EventCase.EVENT_NOT_SET ? null : event;
        } catch (Exception e) {
            return null;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static TestDevice device(RunningGateway gw, String deviceId) throws Exception {
        return TestDevice.connectToDemoStore(gw.mqttUri(), deviceId);
    }

    /** QoS 1, waiting for the PUBACK: the event is committed. */
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
