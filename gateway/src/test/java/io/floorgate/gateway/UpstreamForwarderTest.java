package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import io.floorgate.config.StoreConfig;
import io.floorgate.config.Upstream;
import io.floorgate.gateway.alerts.Alert;
import io.floorgate.gateway.alerts.AlertKind;
import io.floorgate.gateway.testing.OutboxRows;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestStore;
import io.floorgate.gateway.testing.UplinkCut;
import io.floorgate.gateway.testing.UpstreamBroker;
import io.floorgate.gateway.testing.UpstreamSubscriber;
import io.floorgate.gateway.testing.UpstreamSubscriber.Received;
import io.floorgate.gateway.upstream.OutboxEntry;
import io.floorgate.gateway.upstream.OutboxPriority;
import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.UpstreamEvent;
import io.floorgate.proto.v1.UpstreamMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The outbox going upstream to a real broker (HiveMQ CE, in-process, one for the class) and read by a real Paho
 * subscriber, over MQTT 5 and 3.1.1. Outages cut the gateway's uplink ({@link UplinkCut}); the broker and the
 * subscriber stay up. The rows are written as a stage writes them; the summaries' content is another stage's
 * business.
 */
class UpstreamForwarderTest {

    private static final String CHAIN = "test-chain";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Times of the rows written: recent, so that no row is old enough for the age bound. */
    private static final long NOW = System.currentTimeMillis();
    /** The uplink backlog alert's delay here: the production minute, shortened. */
    private static final Duration ALARM_AFTER = Duration.ofMillis(300);

    @TempDir
    static Path brokerDir;
    private static UpstreamBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = UpstreamBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @ParameterizedTest
    @EnumSource(Upstream.Protocol.class)
    void steadyState_whenEntriesAreWritten_thenEachArrivesOnceInOrderAndIsDeletedOnceAcknowledged(
            Upstream.Protocol protocol) throws Exception {
        String store = "steady-" + protocol.name().toLowerCase();
        try (UpstreamSubscriber chain = UpstreamSubscriber.subscribe(broker.uri(), CHAIN, store);
             RunningGateway gateway = start(store, protocol, broker.uri(), "")) {
            await().atMost(PATIENCE).until(() -> chain.statuses().contains("online"));

            Map<Long, OutboxEntry> written = new HashMap<>();
            for (int i = 0; i < 10; i++) {
                List<OutboxEntry> entries = List.of(OutboxRows.summary(NOW + i), OutboxRows.event(NOW + i),
                        OutboxRows.summary(NOW + 100 + i));
                List<Long> seqs = OutboxRows.write(jdbc(gateway), entries);
                IntStream.range(0, seqs.size()).forEach(k -> written.put(seqs.get(k), entries.get(k)));
            }

            await().atMost(PATIENCE).until(() -> chain.received().size() >= written.size()
                    && OutboxRows.count(jdbc(gateway)) == 0);
            List<Received> received = chain.received();
            assertThat(received).hasSize(written.size());
            assertThat(received).extracting(r -> r.message().getSeq()).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(written.keySet());
            for (Received r : received) {
                UpstreamMessage m = r.message();
                OutboxEntry entry = written.get(m.getSeq());
                assertThat(m.getChainId()).isEqualTo(CHAIN);
                assertThat(m.getStoreId()).isEqualTo(store);
                assertThat(m.getAtMs()).isEqualTo(entry.atMs());
                assertThat(m.getGatewayVersion()).isNotBlank();
                if (m.hasSummary()) {
                    assertThat(r.topic()).isEqualTo("retail/" + CHAIN + "/stores/" + store + "/summaries");
                    assertThat(m.getSummary()).isEqualTo(StoreSummary.parseFrom(entry.body()));
                } else {
                    assertThat(r.topic()).isEqualTo("retail/" + CHAIN + "/stores/" + store + "/events");
                    assertThat(m.getEvent()).isEqualTo(UpstreamEvent.parseFrom(entry.body()));
                }
            }
            assertThat(seqsOn(received, "/summaries")).isSorted();
            assertThat(seqsOn(received, "/events")).isSorted();
            assertThat(gateway.metric("floorgate_upstream_connected")).isEqualTo(1);
            assertThat(gateway.metric("floorgate_upstream_acknowledged_total")).isEqualTo(written.size());
            assertThat(gateway.metric("floorgate_upstream_resent_total")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Upstream.Protocol.class)
    void outage_whenTheBrokerIsAwayWhileEntriesAreWritten_thenAllArriveAfterItInOrderWithNoSeqMissing(
            Upstream.Protocol protocol) throws Exception {
        String store = "outage-" + protocol.name().toLowerCase();
        try (UpstreamSubscriber chain = UpstreamSubscriber.subscribe(broker.uri(), CHAIN, store);
             UplinkCut uplink = UplinkCut.to(broker.uri());
             RunningGateway gateway = start(store, protocol, uplink.uri(), "")) {
            await().atMost(PATIENCE).until(() -> gateway.metric("floorgate_upstream_connected") == 1);
            Set<Long> written = new LinkedHashSet<>(OutboxRows.write(jdbc(gateway),
                    List.of(OutboxRows.summary(NOW), OutboxRows.event(NOW))));
            await().atMost(PATIENCE).until(() -> OutboxRows.count(jdbc(gateway)) == 0);

            uplink.cut();
            List<Long> backlogEvents = new ArrayList<>();
            List<Long> backlogSummaries = new ArrayList<>();
            try {
                await().atMost(PATIENCE).until(() -> gateway.metric("floorgate_upstream_connected") == 0);
                for (int round = 0; round < 5; round++) {
                    backlogSummaries.addAll(OutboxRows.write(jdbc(gateway), List.of(OutboxRows.summary(NOW + round),
                            OutboxRows.summary(NOW + 100 + round))));
                    backlogEvents.addAll(OutboxRows.write(jdbc(gateway), List.of(OutboxRows.event(NOW + round))));
                    int expected = (round + 1) * 3;
                    // The forwarder counts the backlog as it grows, while it tries to reconnect.
                    await().atMost(PATIENCE)
                            .until(() -> gateway.metric("floorgate_upstream_backlog_rows") == expected);
                }
            } finally {
                uplink.restore();
            }
            written.addAll(backlogSummaries);
            written.addAll(backlogEvents);

            await().atMost(PATIENCE).until(() -> distinctSeqs(chain.received()).containsAll(written));
            await().atMost(PATIENCE).until(() -> OutboxRows.count(jdbc(gateway)) == 0);
            List<Received> received = chain.received();
            assertThat(distinctSeqs(received)).containsExactlyInAnyOrderElementsOf(written);
            assertThat(firstArrivals(received, "/summaries")).isSorted();
            assertThat(firstArrivals(received, "/events")).isSorted();
            // The backlog's events went ahead of its summaries.
            int lastEvent = lastIndexOf(received, backlogEvents);
            int firstSummary = firstIndexOf(received, backlogSummaries);
            assertThat(lastEvent).isLessThan(firstSummary);
            // The broker said "offline" for the gateway when its connection went, and the gateway "online" when back.
            assertThat(chain.statuses()).containsSubsequence("online", "offline", "online").endsWith("online");
        }
    }

    @ParameterizedTest
    @EnumSource(Upstream.Protocol.class)
    void bound_whenALongOutageFillsATinyOutbox_thenOldestSummariesAreDroppedCountedAndExplainedAndEventsKept(
            Upstream.Protocol protocol) throws Exception {
        String store = "bound-" + protocol.name().toLowerCase();
        int maxRows = 20;
        try (UpstreamSubscriber chain = UpstreamSubscriber.subscribe(broker.uri(), CHAIN, store);
             UplinkCut uplink = UplinkCut.to(broker.uri())) {
            uplink.cut();
            try (RunningGateway gateway = start(store, protocol, uplink.uri(), "  outboxMaxRows: " + maxRows + "\n")) {
                List<OutboxEntry> entries = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    entries.add(OutboxRows.summary(NOW + i));
                    if (i % 6 == 0) {
                        entries.add(OutboxRows.event(NOW + i));
                    }
                }
                List<Long> seqs;
                try {
                    // One transaction: the bound meets all 35 rows at once.
                    seqs = OutboxRows.write(jdbc(gateway), entries);
                    await().atMost(PATIENCE)
                            .until(() -> gateway.metric("floorgate_upstream_dropped_total", "reason", "rows") > 0);
                } finally {
                    uplink.restore();
                }
                List<Long> summaries = new ArrayList<>();
                List<Long> events = new ArrayList<>();
                for (int i = 0; i < seqs.size(); i++) {
                    (entries.get(i).priority() == OutboxPriority.EVENT ? events : summaries).add(seqs.get(i));
                }
                // 35 rows, room for 20 with the notice: the 16 oldest summaries go.
                int dropped = entries.size() - (maxRows - 1);
                List<Long> droppedSeqs = summaries.subList(0, dropped);
                List<Long> kept = new ArrayList<>(events);
                kept.addAll(summaries.subList(dropped, summaries.size()));

                await().atMost(PATIENCE).until(() -> distinctSeqs(chain.received()).containsAll(kept)
                        && chain.received().stream().anyMatch(r -> r.message().getEvent().hasOutboxBoundReached()));
                assertThat(gateway.metric("floorgate_upstream_dropped_total", "reason", "rows")).isEqualTo(dropped);
                List<Received> received = chain.received();
                assertThat(distinctSeqs(received)).doesNotContainAnyElementsOf(droppedSeqs);
                assertThat(received).filteredOn(r -> r.message().getEvent().hasOutboxBoundReached()).singleElement()
                        .satisfies(r -> {
                            var notice = r.message().getEvent().getOutboxBoundReached();
                            assertThat(notice.getBound()).isEqualTo("rows");
                            assertThat(notice.getDropped()).isEqualTo(dropped);
                            assertThat(notice.getFirstDroppedSeq()).isEqualTo(droppedSeqs.get(0));
                            assertThat(notice.getLastDroppedSeq()).isEqualTo(droppedSeqs.get(dropped - 1));
                            assertThat(r.message().getSeq()).isGreaterThan(seqs.get(seqs.size() - 1));
                        });
            }
        }
    }

    @Test
    void alert_whenTheUplinkIsDownWithRowsWaitingPastTheDelay_thenUplinkBacklogIsRaisedAndClearedOnceDrained()
            throws Exception {
        String store = "alarm";
        try (UpstreamSubscriber chain = UpstreamSubscriber.subscribe(broker.uri(), CHAIN, store);
             UplinkCut uplink = UplinkCut.to(broker.uri())) {
            uplink.cut();
            try (RunningGateway gateway = RunningGateway.start(GatewaySettings.of(config(store, Upstream.Protocol.MQTT5,
                    uplink.uri(), ""), dir.resolve("data-" + store)).withUplinkBacklogAlertAfter(ALARM_AFTER))) {
                try {
                    List<Long> seqs = OutboxRows.write(jdbc(gateway), List.of(OutboxRows.event(NOW),
                            OutboxRows.summary(NOW)));
                    Alert alert = await().atMost(PATIENCE).until(() -> uplinkAlert(gateway), Optional::isPresent)
                            .orElseThrow();
                    assertThat(alert.message()).contains(seqs.size() + " rows waiting").contains("oldest");
                } finally {
                    uplink.restore();
                }
                await().atMost(PATIENCE).until(() -> uplinkAlert(gateway).isEmpty());
                // Cleared only once drained: nothing was waiting any more when it went.
                assertThat(OutboxRows.count(jdbc(gateway))).isZero();
                assertThat(chain.received()).isNotEmpty();
                assertThat(gateway.gateway().alerts().recent()).filteredOn(a -> a.kind() == AlertKind.UPLINK_BACKLOG)
                        .singleElement().satisfies(a -> assertThat(a.isOpen()).isFalse());
            }
        }
    }

    private static Optional<Alert> uplinkAlert(RunningGateway gateway) {
        return gateway.gateway().alerts().open().stream().filter(a -> a.kind() == AlertKind.UPLINK_BACKLOG
                && a.subject().equals(Gateway.UPLINK_SUBJECT)).findFirst();
    }

    private RunningGateway start(String store, Upstream.Protocol protocol, String brokerUri,
                                 String extraUpstreamFields) {
        return RunningGateway.start(config(store, protocol, brokerUri, extraUpstreamFields),
                dir.resolve("data-" + store));
    }

    @Test
    void databaseClosedByH2_whenItIsOpenAgain_thenTheForwarderTakesANewConnectionAndSendsWhatWasWaiting()
            throws Exception {
        String store = "reopened";
        try (UpstreamSubscriber chain = UpstreamSubscriber.subscribe(broker.uri(), CHAIN, store);
             UplinkCut uplink = UplinkCut.to(broker.uri());
             RunningGateway gateway = start(store, Upstream.Protocol.MQTT5, uplink.uri(), "")) {
            await().atMost(PATIENCE).until(() -> gateway.metric("floorgate_upstream_connected") == 1);
            uplink.cut();
            Set<Long> written;
            try {
                await().atMost(PATIENCE).until(() -> gateway.metric("floorgate_upstream_connected") == 0);
                written = new LinkedHashSet<>(OutboxRows.write(jdbc(gateway),
                        List.of(OutboxRows.summary(NOW), OutboxRows.event(NOW))));
                await().atMost(PATIENCE).until(() -> gateway.metric("floorgate_upstream_backlog_rows") == 2);
                // What H2 does when a write fails (a full disk): it closes the database under every connection.
                try (Connection c = DriverManager.getConnection(jdbc(gateway), "floorgate", "");
                     Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN IMMEDIATELY");
                }
            } finally {
                uplink.restore();
            }

            await().atMost(PATIENCE).until(() -> distinctSeqs(chain.received()).containsAll(written));
            await().atMost(PATIENCE).until(() -> OutboxRows.count(jdbc(gateway)) == 0);
        }
    }

    /**
     * The test's store with an uplink. Its summary window is an hour: the gateway's own summaries would otherwise join
     * what a test writes and counts whenever a test crosses a minute (a test takes seconds).
     */
    private static StoreConfig config(String store, Upstream.Protocol protocol, String brokerUri,
                                      String extraUpstreamFields) {
        String yaml = TestStore.yaml(10_000, 10_000, "5ms").replace("id: " + TestStore.STORE_ID, "id: " + store)
                + """
                upstream:
                  brokerUri: %s
                  protocol: %s
                  hashKey: upstream-test-hash-key
                  summaryWindow: 1h
                  drainMaxRate: 2000
                  inFlight: 8
                  reconnectMin: 50ms
                  reconnectMax: 500ms
                """.formatted(brokerUri, protocol.name().toLowerCase()) + extraUpstreamFields;
        return TestStore.parse(yaml);
    }

    private static String jdbc(RunningGateway gateway) {
        return gateway.gateway().jdbcUrl();
    }

    private static List<Long> seqsOn(List<Received> received, String topicEnd) {
        return received.stream().filter(r -> r.topic().endsWith(topicEnd)).map(r -> r.message().getSeq()).toList();
    }

    /** Each seq where it first arrived: a resend after a reconnect may repeat one later. */
    private static List<Long> firstArrivals(List<Received> received, String topicEnd) {
        return List.copyOf(new LinkedHashSet<>(seqsOn(received, topicEnd)));
    }

    private static Set<Long> distinctSeqs(List<Received> received) {
        Set<Long> seqs = new LinkedHashSet<>();
        received.forEach(r -> seqs.add(r.message().getSeq()));
        return seqs;
    }

    private static int lastIndexOf(List<Received> received, List<Long> seqs) {
        return IntStream.range(0, received.size()).filter(i -> seqs.contains(received.get(i).message().getSeq()))
                .max().orElseThrow();
    }

    private static int firstIndexOf(List<Received> received, List<Long> seqs) {
        return IntStream.range(0, received.size()).filter(i -> seqs.contains(received.get(i).message().getSeq()))
                .min().orElseThrow();
    }
}
