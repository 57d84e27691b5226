package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.floorgate.config.Upstream;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.testing.ChildGateway;
import io.floorgate.gateway.testing.OutboxRows;
import io.floorgate.gateway.testing.TestStore;
import io.floorgate.gateway.testing.UplinkCut;
import io.floorgate.gateway.testing.UpstreamBroker;
import io.floorgate.gateway.testing.UpstreamSubscriber;
import io.floorgate.gateway.testing.UpstreamSubscriber.Received;
import io.floorgate.gateway.upstream.OutboxEntry;
import io.floorgate.proto.v1.UpstreamMessage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The outbox across a crash: the gateway runs as its own JVM, draining a backlog slowly, loses its uplink, and is
 * killed with SIGKILL while it holds the rest; it restarts with the uplink still down, the uplink comes back, and the
 * chain must hold every row, a row sent twice only with its own seq. Over MQTT 5 and 3.1.1.
 */
class UpstreamCrashTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int BACKLOG = 150;
    /**
     * The first run drains this slowly: the backlog would take half a minute, so the cut and the kill find most of
     * it unsent (and some in flight) however late a busy machine runs the test's thread. The second run drains fast.
     */
    private static final int SLOW_DRAIN_RATE = 5;
    private static final int FAST_DRAIN_RATE = 1000;
    private static final int RECEIVED_BEFORE_CUT = 5;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Upstream.Protocol.class)
    void crash_whenKilledDuringAnOutageWithABacklog_thenAfterARestartNothingIsMissingAndADuplicateKeepsItsSeq(
            Upstream.Protocol protocol) throws Exception {
        Path dataDir = dir.resolve("data");
        try (UpstreamBroker broker = UpstreamBroker.start(dir.resolve("broker"));
             UpstreamSubscriber chain = UpstreamSubscriber.subscribe(broker.uri(), "test-chain", TestStore.STORE_ID);
             UplinkCut uplink = UplinkCut.to(broker.uri())) {
            Path slow = writeConfig("slow.yaml", uplink, protocol, SLOW_DRAIN_RATE);
            Path fast = writeConfig("fast.yaml", uplink, protocol, FAST_DRAIN_RATE);
            Map<Long, OutboxEntry> written = new HashMap<>(writeWhileStopped(dataDir, 0, BACKLOG));

            try (ChildGateway first = ChildGateway.start(slow, dataDir, dir.resolve("first.log"))) {
                await().atMost(PATIENCE).until(() -> chain.received().size() >= RECEIVED_BEFORE_CUT);
                uplink.cut();
                first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no "offline", no H2 close
                first.awaitExit(PATIENCE);
            }
            int receivedBeforeRestart = chain.received().size();
            assertThat(receivedBeforeRestart).as("killed with a backlog left").isLessThan(BACKLOG);
            // What the stages committed after the kill's last commit, as the next run finds it.
            written.putAll(writeWhileStopped(dataDir, BACKLOG, 20));

            try (ChildGateway second = ChildGateway.start(fast, dataDir, dir.resolve("second.log"))) {
                uplink.restore();
                await().atMost(PATIENCE).until(() -> distinctSeqs(chain.received()).containsAll(written.keySet()));
            }

            List<Received> received = chain.received();
            assertThat(distinctSeqs(received)).containsExactlyInAnyOrderElementsOf(written.keySet());
            Map<Long, UpstreamMessage> first = new HashMap<>();
            for (Received r : received) {
                // Every row keeps its seq: the window end written with a seq is the one that arrives with it.
                assertThat(r.message().getAtMs()).isEqualTo(written.get(r.message().getSeq()).atMs());
                UpstreamMessage earlier = first.putIfAbsent(r.message().getSeq(), r.message());
                if (earlier != null) {
                    assertThat(r.message()).as("a duplicate is the same message with the same seq")
                            .isEqualTo(earlier);
                }
            }
            assertThat(firstArrivals(received)).isSorted();
        }
    }

    /** The store with an uplink; an hour's summary window keeps the gateway's own summaries out of what is counted. */
    private Path writeConfig(String name, UplinkCut uplink, Upstream.Protocol protocol, int drainRate)
            throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, TestStore.yaml(10_000, 10_000, "5ms") + """
                upstream:
                  brokerUri: %s
                  protocol: %s
                  hashKey: upstream-test-hash-key
                  summaryWindow: 1h
                  drainMaxRate: %d
                  inFlight: 5
                  reconnectMin: 50ms
                  reconnectMax: 500ms
                """.formatted(uplink.uri(), protocol.name().toLowerCase(), drainRate));
        return file;
    }

    /** Writes summaries into the stopped gateway's database, as its stages had committed them. */
    private static Map<Long, OutboxEntry> writeWhileStopped(Path dataDir, int from, int count) throws Exception {
        List<OutboxEntry> entries = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = from; i < from + count; i++) {
            entries.add(OutboxRows.summary(now + i));
        }
        Map<Long, OutboxEntry> bySeq = new HashMap<>();
        try (Database database = Database.open(dataDir)) {
            List<Long> seqs = OutboxRows.write(database.jdbcUrl(), entries);
            for (int i = 0; i < seqs.size(); i++) {
                bySeq.put(seqs.get(i), entries.get(i));
            }
        }
        return bySeq;
    }

    private static Set<Long> distinctSeqs(List<Received> received) {
        Set<Long> seqs = new LinkedHashSet<>();
        received.forEach(r -> seqs.add(r.message().getSeq()));
        return seqs;
    }

    /** Each seq where it first arrived: a resend after the restart may repeat one later. */
    private static List<Long> firstArrivals(List<Received> received) {
        return List.copyOf(distinctSeqs(received));
    }
}
