package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.google.protobuf.ByteString;
import io.floorgate.config.Listeners;
import io.floorgate.config.Pickup;
import io.floorgate.config.Sessions;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.config.Upstream;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.Shoppers;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import io.floorgate.gateway.testing.UpstreamBroker;
import io.floorgate.gateway.testing.UpstreamSubscriber;
import io.floorgate.gateway.upstream.OutboxPriority;
import io.floorgate.gateway.upstream.Pseudonyms;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Heartbeat;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.proto.v1.ScoreAggregate;
import io.floorgate.proto.v1.ShopperRecord;
import io.floorgate.proto.v1.Sighting;
import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.UpstreamEvent;
import io.floorgate.proto.v1.UpstreamMessage;
import io.floorgate.proto.v1.ZoneSummary;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reaches the chain: the demo store on free ports with a 2 s summary window and a real upstream broker (HiveMQ CE,
 * embedded) plays a pickup (arrival by zone, a service-level breach, an NFC hand-off), kiosk feedback from a shopper
 * with analytics consent and one without, a refused message, a low battery and a device going offline, with real Paho
 * devices and HTTP clients; a Paho subscriber on the chain's topics receives what the gateway sent, and every byte of
 * it is searched for the identifiers the test used.
 */
class UpstreamSummaryEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final String STORE = "demo-001";
    private static final String SYSTEM_TOKEN = "order-system-token-0123456789abcdef";
    private static final String HASH_KEY = "upstream-test-store-key-0123456789";
    private static final String ANNA_REF = "customer-anna-4711";
    private static final String BOB_REF = "customer-bob-0815";
    private static final String ANNA_APP = "app-instance-anna-1b2c";
    private static final String BOB_APP = "app-instance-bob-9f8e";
    private static final String ORDER = "order-up-31337";
    private static final String CODE = "code-up-271828";
    private static final String KIOSK = "kiosk-entrance";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path brokerDir;

    /** The chain's broker and its subscriber: what the tests read is what reached the chain. */
    private static UpstreamBroker broker;
    private static UpstreamSubscriber chain;

    private static StoreConfig config;
    private static final List<StoreSummary> summaries = new ArrayList<>();
    private static final List<UpstreamEvent> events = new ArrayList<>();
    /** Every message the chain received, as delivered, duplicates included. */
    private static final List<byte[]> bodies = new ArrayList<>();
    /** The seqs of the summaries in the order they first arrived. */
    private static final List<Long> summarySeqs = new ArrayList<>();
    private static int duplicates;
    /** Every identifier the traffic used, as text or raw bytes: none may be in any byte sent upstream. */
    private static final List<byte[]> identifiers = new ArrayList<>();
    private static Shoppers.CheckedIn anna;
    private static Shoppers.CheckedIn bob;

    @BeforeAll
    static void playTrafficAndReadWhatReachedTheChain() throws Exception {
        broker = UpstreamBroker.start(brokerDir);
        config = demo(broker.uri());
        chain = UpstreamSubscriber.subscribe(broker.uri(), config.chainId(), STORE);
        try (RunningGateway gw = RunningGateway.start(config, dataDir);
             TestDevice pickup1 = device(gw, "ble-pickup-1");
             TestDevice pickup2 = device(gw, "ble-pickup-2");
             TestDevice nfc = device(gw, "nfc-pickup")) {
            AppClient app = new AppClient(gw);
            anna = Shoppers.checkIn(app, STORE, ANNA_APP, true, true, Optional.of(ANNA_REF));
            bob = Shoppers.checkIn(app, STORE, BOB_APP, true, false, Optional.of(BOB_REF));
            assertThat(app.send("PUT", "/api/v1/orders/" + ORDER, SYSTEM_TOKEN, new JsonObject().put("status", "READY")
                    .put("pickupPointId", "counter-1").put("customerRef", ANNA_REF).put("code", CODE).encode())
                    .statusCode()).isEqualTo(201);

            // Anna is heard in the pickup zone: she arrives, waits past the 1 s service level, and is handed off.
            List<ByteString> advertised = new ArrayList<>();
            for (long seq = 1; seq <= 3; seq++) {
                long now = System.currentTimeMillis();
                advertised.add(Shoppers.advertisedIdAt(anna.session(), now));
                sightings(pickup1, "ble-pickup-1", seq, advertised.get(advertised.size() - 1), -58, now);
                sightings(pickup2, "ble-pickup-2", seq, advertised.get(advertised.size() - 1), -62, now);
            }
            await().atMost(WAIT).until(() -> gw.metric("floorgate_pickup_sla_breaches_total") == 1);
            publish(nfc, "nfc-pickup", DeviceEvent.newBuilder().setDeviceId("nfc-pickup").setBootId(1).setSeq(1)
                    .setObservedAtMs(System.currentTimeMillis()).setNfcTap(NfcTap.newBuilder()
                            .setToken(ByteString.copyFromUtf8(CODE)).setKind(NfcTap.TokenKind.TOKEN_KIND_ORDER))
                    .build().toByteArray());
            await().atMost(WAIT).until(() -> gw.metric("floorgate_pickup_handoffs_total", "source", "nfc") == 1);

            // Feedback at the entrance kiosk: Anna's (her order breached), then Bob's (no analytics consent).
            List<ByteString> tokens = new ArrayList<>();
            try (TestDevice kiosk = device(gw, KIOSK)) {
                tokens.add(Shoppers.touchTokenAt(anna.session(), System.currentTimeMillis()));
                kiosk(kiosk, 1, KioskInteraction.newBuilder().setSessionScan(
                        KioskInteraction.SessionScan.newBuilder().setSessionToken(tokens.get(0))));
                kiosk(kiosk, 2, feedback(2, 4, 6));
                tokens.add(Shoppers.touchTokenAt(bob.session(), System.currentTimeMillis()));
                kiosk(kiosk, 3, KioskInteraction.newBuilder().setSessionScan(
                        KioskInteraction.SessionScan.newBuilder().setSessionToken(tokens.get(1))));
                kiosk(kiosk, 4, feedback(5, 9, 2));
                publish(kiosk, KIOSK, "not a protobuf".getBytes(StandardCharsets.UTF_8));
                await().atMost(WAIT).until(() -> gw.metric("floorgate_ingest_rejected_total", "reason",
                        "not_protobuf") == 1);
                nfc.publishTo("store/" + STORE + "/devices/nfc-pickup/health", Heartbeat.newBuilder()
                        .setDeviceId("nfc-pickup").setBootId(1).setSentAtMs(System.currentTimeMillis())
                        .setBatteryPct(15).setUptimeS(60).setFirmware("1.0").build().toByteArray(), 1)
                        .waitForCompletion(WAIT.toMillis());
            }
            // The kiosk has gone offline; one more whole window after that, and the traffic is all summarized.
            long playedUntil = System.currentTimeMillis();
            await().atMost(WAIT).until(() -> {
                readWhatArrived();
                return summaries.stream().anyMatch(s -> s.getWindowStartMs() > playedUntil)
                        && events.size() >= 4;
            });
            identifiers(anna, ANNA_REF, ANNA_APP);
            identifiers(bob, BOB_REF, BOB_APP);
            for (String text : List.of(ORDER, CODE, SYSTEM_TOKEN)) {
                identifiers.add(text.getBytes(StandardCharsets.UTF_8));
            }
            advertised.forEach(id -> identifiers.add(id.toByteArray()));
            tokens.forEach(token -> identifiers.add(token.toByteArray()));
        }
    }

    @AfterAll
    static void stopTheChain() throws Exception {
        if (chain != null) {
            chain.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void summaries_whenTrafficWasPlayed_thenOnePerWindowTilingTimeWithTheNumbersOfTheTraffic() {
        assertThat(summaries.size()).isGreaterThanOrEqualTo(3);
        assertThat(duplicates).as("steady state: every message arrives once").isZero();
        assertThat(summarySeqs).as("summaries arrive in the order they were made").isSorted();
        for (int i = 0; i < summaries.size(); i++) {
            StoreSummary s = summaries.get(i);
            assertThat(s.getWindowEndMs() - s.getWindowStartMs()).isEqualTo(WINDOW.toMillis());
            assertThat(s.getWindowStartMs() % WINDOW.toMillis()).as("aligned to the epoch").isZero();
            assertThat(s.getZonesList()).extracting(ZoneSummary::getZoneId)
                    .containsExactlyElementsOf(config.zones().stream().map(z -> z.id()).toList());
            if (i > 0) {
                assertThat(s.getWindowStartMs()).as("window %d follows window %d", i, i - 1)
                        .isEqualTo(summaries.get(i - 1).getWindowEndMs());
            }
        }

        assertThat(sum(s -> s.getPickup().getReady())).isEqualTo(1);
        assertThat(sum(s -> s.getPickup().getArrived())).isEqualTo(1);
        assertThat(sum(s -> s.getPickup().getHandedOff())).isEqualTo(1);
        assertThat(sum(s -> s.getPickup().getServiceLevelBreaches())).isEqualTo(1);
        StoreSummary handOffWindow = summaries.stream().filter(s -> s.getPickup().getHandedOff() == 1).findFirst()
                .orElseThrow();
        long waitMs = event(UpstreamEvent.EventCase.PICKUP_HANDED_OFF).getPickupHandedOff().getWaitMs();
        assertThat(waitMs).isGreaterThan(config.pickup().serviceLevel().toMillis());
        assertThat(handOffWindow.getPickup().getWaitP50S()).isEqualTo(waitMs / 1000.0);
        assertThat(handOffWindow.getPickup().getWaitP95S()).isEqualTo(waitMs / 1000.0);

        assertThat(sum(s -> zone(s, "pickup").getEntries())).isEqualTo(1);
        assertThat(summaries.stream().mapToInt(s -> zone(s, "pickup").getLinkedPeak()).max().orElse(0)).isEqualTo(1);

        assertThat(sum(s -> s.getKiosks().getSessionScans())).isEqualTo(2);
        assertThat(sum(s -> s.getKiosks().getFeedback())).isEqualTo(2);
        assertThat(csat(s -> s.getKiosks().getAll().getCsat())).containsExactly(0, 1, 0, 0, 1);
        assertThat(csat(s -> s.getKiosks().getWithBreach().getCsat())).as("Anna's, after her breach")
                .containsExactly(0, 1, 0, 0, 0);
        assertThat(csat(s -> s.getKiosks().getWithoutBreach().getCsat())).as("Bob's, not linked without consent")
                .containsExactly(0, 0, 0, 0, 1);

        StoreSummary last = summaries.get(summaries.size() - 1);
        assertThat(last.getDevices().getOnline()).isEqualTo(3);
        assertThat(last.getDevices().getOffline()).isEqualTo(config.devices().size() - 3);
        assertThat(last.getDevices().getLowBattery()).isEqualTo(1);
        assertThat(summaries.stream().mapToLong(s -> s.getDevices().getRejectedByReasonOrDefault("not_protobuf", 0))
                .sum()).isEqualTo(1);

        ByteString annaHash = new Pseudonyms(HASH_KEY).customer(ANNA_REF);
        List<ShopperRecord> annas = summaries.stream().flatMap(s -> s.getShoppersList().stream())
                .filter(r -> r.getShopperHash().equals(annaHash)).toList();
        assertThat(annas).isNotEmpty();
        assertThat(annas.stream().mapToInt(ShopperRecord::getPickupsHandedOff).sum()).isEqualTo(1);
        assertThat(annas.stream().mapToInt(ShopperRecord::getKioskInteractions).sum()).isEqualTo(2);
        assertThat(annas.stream().mapToDouble(r -> r.getDwellSByZoneOrDefault("pickup", 0)).sum()).isPositive();
        assertThat(summaries.stream().flatMap(s -> s.getShoppersList().stream()))
                .as("only Anna consented to analytics").allMatch(r -> r.getShopperHash().equals(annaHash));
    }

    @Test
    void events_whenTrafficWasPlayed_thenEachLiveEventReachedTheChainWithHashedOrderIds() {
        ByteString orderHash = new Pseudonyms(HASH_KEY).order(ORDER);
        assertThat(event(UpstreamEvent.EventCase.PICKUP_ARRIVED).getPickupArrived().getOrderHash())
                .isEqualTo(orderHash);
        assertThat(event(UpstreamEvent.EventCase.PICKUP_ARRIVED).getPickupArrived().getSource()).isEqualTo("zone");
        assertThat(event(UpstreamEvent.EventCase.SERVICE_LEVEL_BREACHED).getServiceLevelBreached().getOrderHash())
                .isEqualTo(orderHash);
        assertThat(event(UpstreamEvent.EventCase.PICKUP_HANDED_OFF).getPickupHandedOff().getSource())
                .isEqualTo("nfc");
        assertThat(event(UpstreamEvent.EventCase.DEVICE_OFFLINE).getDeviceOffline().getDeviceId()).isEqualTo(KIOSK);
        assertThat(events).extracting(UpstreamEvent::getEventCase).containsExactlyInAnyOrder(
                UpstreamEvent.EventCase.PICKUP_ARRIVED, UpstreamEvent.EventCase.SERVICE_LEVEL_BREACHED,
                UpstreamEvent.EventCase.PICKUP_HANDED_OFF, UpstreamEvent.EventCase.DEVICE_OFFLINE);
    }

    @Test
    void upstream_receivedNoIdentifierTheTestUsedInClear_butTheConsentingShoppersHash() {
        assertThat(identifiers).hasSizeGreaterThan(15);
        for (byte[] body : bodies) {
            for (byte[] identifier : identifiers) {
                assertThat(indexOf(body, identifier)).as("%s in a message sent upstream",
                        new String(identifier, StandardCharsets.ISO_8859_1)).isEqualTo(-1);
            }
        }
        Pseudonyms pseudonyms = new Pseudonyms(HASH_KEY);
        assertThat(bodies).anyMatch(b -> indexOf(b, pseudonyms.customer(ANNA_REF).toByteArray()) >= 0);
        assertThat(bodies).anyMatch(b -> indexOf(b, pseudonyms.order(ORDER).toByteArray()) >= 0);
        assertThat(bodies).noneMatch(b -> indexOf(b, pseudonyms.customer(BOB_REF).toByteArray()) >= 0);
        assertThat(bodies).noneMatch(b -> indexOf(b, pseudonyms.session(bob.session().id()).toByteArray()) >= 0);
    }

    @Test
    void deviceOffline_whenADeviceDisconnects_thenReportedOnce_butNotWhenTheGatewayStops(@TempDir Path ownDir)
            throws Exception {
        StoreConfig store = TestStore.config();
        try (RunningGateway gw = RunningGateway.start(store, ownDir)) {
            TestDevice staying = TestDevice.connect(gw.mqttUri(), TestStore.BLE);
            TestDevice leaving = TestDevice.connect(gw.mqttUri(), TestStore.BLE_2);
            leaving.publishTo(TestDevice.topic(TestStore.BLE_2, "status"), "offline".getBytes(StandardCharsets.UTF_8),
                    1).waitForCompletion(WAIT.toMillis());
            leaving.close();
            await().atMost(WAIT).until(() -> gw.count("SELECT COUNT(*) FROM upstream_outbox WHERE priority = "
                    + OutboxPriority.EVENT.column()) == 1);
            assertThat(staying.isConnected()).isTrue();
            gw.stop();
            staying.close();
        }
        try (RunningGateway again = RunningGateway.start(store, ownDir)) {
            List<UpstreamEvent> stored = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(again.gateway().jdbcUrl(), "floorgate", "");
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT body FROM upstream_outbox WHERE priority = "
                         + OutboxPriority.EVENT.column())) {
                while (rs.next()) {
                    stored.add(UpstreamEvent.parseFrom(rs.getBytes(1)));
                }
            }
            assertThat(stored).as("the last will and the close are one going offline; the stop is none")
                    .extracting(e -> e.getDeviceOffline().getDeviceId()).containsExactly(TestStore.BLE_2);
        }
    }

    /** The session's ids in every form the gateway received or handed out. */
    private static void identifiers(Shoppers.CheckedIn shopper, String customerRef, String appInstance) {
        for (String text : List.of(customerRef, appInstance, shopper.session().id(), shopper.token(),
                Base64.getEncoder().encodeToString(shopper.session().advertisingKey()))) {
            identifiers.add(text.getBytes(StandardCharsets.UTF_8));
        }
        identifiers.add(shopper.session().advertisingKey());
    }

    /** What the chain's subscriber received: each seq once, as a consumer keeps it, and every byte as it came. */
    private static void readWhatArrived() {
        summaries.clear();
        events.clear();
        bodies.clear();
        summarySeqs.clear();
        duplicates = 0;
        Set<Long> seen = new HashSet<>();
        for (UpstreamSubscriber.Received r : chain.received()) {
            bodies.add(r.payload());
            UpstreamMessage message = r.message();
            if (!seen.add(message.getSeq())) {
                duplicates++;
            } else if (message.hasSummary()) {
                summaries.add(message.getSummary());
                summarySeqs.add(message.getSeq());
            } else {
                events.add(message.getEvent());
            }
        }
    }

    private static UpstreamEvent event(UpstreamEvent.EventCase kind) {
        List<UpstreamEvent> found = events.stream().filter(e -> e.getEventCase() == kind).toList();
        assertThat(found).as(kind.name()).hasSize(1);
        return found.get(0);
    }

    private static long sum(java.util.function.ToLongFunction<StoreSummary> count) {
        return summaries.stream().mapToLong(count).sum();
    }

    private static List<Integer> csat(java.util.function.Function<StoreSummary, ScoreAggregate> scale) {
        int[] histogram = new int[5];
        for (StoreSummary s : summaries) {
            List<Integer> h = scale.apply(s).getHistogramList();
            for (int i = 0; i < h.size(); i++) {
                histogram[i] += h.get(i);
            }
        }
        return java.util.Arrays.stream(histogram).boxed().toList();
    }

    private static ZoneSummary zone(StoreSummary summary, String zoneId) {
        return summary.getZonesList().stream().filter(z -> z.getZoneId().equals(zoneId)).findFirst().orElseThrow();
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

    /**
     * The demo store on free ports with an order system token, a 1 s service level, a 2 s summary window and the
     * test's broker as its upstream.
     */
    private static StoreConfig demo(String brokerUri) throws Exception {
        StoreConfig d = StoreConfigLoader.loadDemo().withListeners(new Listeners("127.0.0.1", 0, 0, Optional.empty()));
        Upstream u = d.upstream();
        return new StoreConfig(d.source(), d.storeId(), d.chainId(), d.name(), d.floorPlan(), d.zones(), d.devices(),
                d.products(), new Pickup(d.pickup().points(), Duration.ofSeconds(1)), d.limits(), d.listeners(),
                d.ingest(), new Upstream(Optional.of(brokerUri), u.clientId(), WINDOW, u.outboxMaxRows(), u.outboxMaxAge(),
                HASH_KEY), d.retention(), new Sessions(d.sessions().inactivityTimeout(), d.sessions().rotationPeriod(),
                Optional.of(SYSTEM_TOKEN)));
    }

    private static TestDevice device(RunningGateway gw, String deviceId) throws Exception {
        return TestDevice.connectToDemoStore(gw.mqttUri(), deviceId);
    }

    private static void publish(TestDevice device, String deviceId, byte[] payload) throws Exception {
        device.publishTo("store/" + STORE + "/devices/" + deviceId + "/events", payload, 1)
                .waitForCompletion(WAIT.toMillis());
    }

    private static void kiosk(TestDevice kiosk, long seq, KioskInteraction.Builder interaction) throws Exception {
        publish(kiosk, KIOSK, DeviceEvent.newBuilder().setDeviceId(KIOSK).setBootId(1).setSeq(seq)
                .setObservedAtMs(System.currentTimeMillis()).setKioskInteraction(interaction).build().toByteArray());
    }

    private static KioskInteraction.Builder feedback(int csat, int nps, int ces) {
        return KioskInteraction.newBuilder().setFeedback(KioskInteraction.Feedback.newBuilder().setCsat(csat)
                .setNps(nps).setCes(ces));
    }

    private static void sightings(TestDevice receiver, String deviceId, long seq, ByteString advertisedId,
                                  int rssiDbm, long now) throws Exception {
        BeaconSightings batch = BeaconSightings.newBuilder().setWindowMs(1000).addSightings(Sighting.newBuilder()
                .setObservedId(advertisedId).setRssiDbm(rssiDbm).setTxPowerDbm(-59).setCount(4)).build();
        receiver.publishTo("store/" + STORE + "/devices/" + deviceId + "/events", DeviceEvent.newBuilder()
                .setDeviceId(deviceId).setBootId(1).setSeq(seq).setObservedAtMs(now).setBeaconSightings(batch).build()
                .toByteArray(), 0);
    }
}
