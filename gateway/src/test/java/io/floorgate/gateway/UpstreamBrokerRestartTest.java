package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import io.floorgate.config.StoreConfig;
import io.floorgate.config.Upstream;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import io.floorgate.gateway.testing.UpstreamBroker;
import io.floorgate.gateway.testing.UpstreamSubscriber;
import io.floorgate.gateway.testing.UpstreamSubscriber.Received;
import io.floorgate.proto.v1.Heartbeat;
import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.UpstreamEvent;
import io.floorgate.proto.v1.UpstreamMessage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An outage of the chain's broker itself, not of the link to it: HiveMQ CE (embedded, keeping its sessions on disk as
 * a production broker does) is stopped while a device keeps publishing for several summary windows and another
 * device goes offline, then started again on its port. The chain's subscriber, whose session outlives the restart,
 * must get every window's summary and the event made meanwhile, in order, with no seq missing.
 */
class UpstreamBrokerRestartTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration WINDOW = Duration.ofSeconds(1);
    /** Summary windows the broker stays away for, at least. */
    private static final int WINDOWS_AWAY = 3;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Upstream.Protocol.class)
    void brokerRestart_whenTheBrokerIsAwayForSeveralWindowsOfTraffic_thenEverySummaryAndEventArrivesInOrderWithNoSeqMissing(
            Upstream.Protocol protocol) throws Exception {
        ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
        try (UpstreamBroker broker = UpstreamBroker.persistent(dir.resolve("broker"));
             UpstreamSubscriber chain = UpstreamSubscriber.subscribe(broker.uri(), "test-chain", TestStore.STORE_ID);
             RunningGateway gateway = RunningGateway.start(config(broker.uri(), protocol), dir.resolve("data"));
             TestDevice receiver = TestDevice.connect(gateway.mqttUri(), TestStore.BLE)) {
            AtomicLong heartbeats = new AtomicLong();
            traffic.scheduleAtFixedRate(() -> heartbeat(receiver, heartbeats), 0, 100, TimeUnit.MILLISECONDS);
            await().atMost(PATIENCE).until(() -> summaries(chain.received()).size() >= 2);

            broker.stop();
            await().atMost(PATIENCE).until(() -> gateway.metric("floorgate_upstream_connected") == 0);
            try (TestDevice reader = TestDevice.connect(gateway.mqttUri(), TestStore.NFC)) {
                reader.publish("health", heartbeatOf(TestStore.NFC, 1), 1).waitForCompletion(PATIENCE.toMillis());
            }
            await().atMost(PATIENCE).until(() -> gateway.metric("floorgate_upstream_backlog_rows") >= WINDOWS_AWAY + 1);
            broker.restart();
            long restartedAt = System.currentTimeMillis();

            await().atMost(PATIENCE).until(() -> gateway.metric("floorgate_upstream_connected") == 1);
            // Until the backlog has arrived and a window that began after the restart has followed it.
            await().atMost(PATIENCE).untilAsserted(() -> {
                List<Long> seqs = seqs(chain.received());
                assertThat(summaries(chain.received())).as("summaries, seqs %s", seqs)
                        .anyMatch(s -> s.getWindowStartMs() >= restartedAt);
                assertThat(contiguous(seqs)).as("contiguous: %s", seqs).isTrue();
            });
            long heardDuringTheRun = heartbeats.get();
            traffic.shutdownNow();

            List<Received> received = chain.received();
            List<Long> seqs = seqs(received);
            assertThat(heardDuringTheRun).as("the device kept publishing").isPositive();
            assertThat(contiguous(seqs)).as("one run of the gateway: every seq from the first to the last, none missing,"
                    + " in %s", seqs).isTrue();
            List<StoreSummary> summaries = summaries(received);
            assertThat(summaries.size()).as("the windows before, during and after the outage")
                    .isGreaterThanOrEqualTo(2 + WINDOWS_AWAY);
            // Each class arrives in seq order (the backlog's event went ahead of the backlog's summaries).
            assertThat(seqs(received.stream().filter(r -> r.message().hasSummary()).toList())).isSorted();
            assertThat(seqs(received.stream().filter(r -> r.message().hasEvent()).toList())).isSorted();
            for (int i = 1; i < summaries.size(); i++) {
                assertThat(summaries.get(i).getWindowStartMs()).as("window %d follows window %d", i, i - 1)
                        .isEqualTo(summaries.get(i - 1).getWindowEndMs());
            }
            assertThat(events(received)).anySatisfy(e -> assertThat(e.getDeviceOffline().getDeviceId())
                    .isEqualTo(TestStore.NFC));
        } finally {
            traffic.shutdownNow();
        }
    }

    private static void heartbeat(TestDevice device, AtomicLong sent) {
        try {
            device.publish("health", heartbeatOf(TestStore.BLE, sent.get() + 1), 1);
            sent.incrementAndGet();
        } catch (Exception e) {
            // Paho's window is full for a moment: the next tick tries again.
        }
    }

    private static Heartbeat heartbeatOf(String deviceId, long uptime) {
        return Heartbeat.newBuilder().setDeviceId(deviceId).setBootId(1).setSentAtMs(System.currentTimeMillis())
                .setUptimeS(uptime).setFirmware("1.0").build();
    }

    /** Distinct seqs in the order they first arrived: a resend after the reconnect may repeat one. */
    private static List<Long> seqs(List<Received> received) {
        Map<Long, Received> first = new LinkedHashMap<>();
        received.forEach(r -> first.putIfAbsent(r.message().getSeq(), r));
        return new ArrayList<>(first.keySet());
    }

    private static List<StoreSummary> summaries(List<Received> received) {
        Map<Long, StoreSummary> first = new LinkedHashMap<>();
        received.stream().map(Received::message).filter(UpstreamMessage::hasSummary)
                .forEach(m -> first.putIfAbsent(m.getSeq(), m.getSummary()));
        return new ArrayList<>(first.values());
    }

    /** Whether the seqs, whatever order they came in, are every seq from the lowest to the highest. */
    private static boolean contiguous(List<Long> seqs) {
        List<Long> sorted = seqs.stream().sorted().toList();
        return sorted.equals(LongStream.rangeClosed(sorted.get(0), sorted.get(sorted.size() - 1)).boxed().toList());
    }

    private static List<UpstreamEvent> events(List<Received> received) {
        return received.stream().map(Received::message).filter(UpstreamMessage::hasEvent)
                .map(UpstreamMessage::getEvent).toList();
    }

    private static StoreConfig config(String brokerUri, Upstream.Protocol protocol) {
        return TestStore.parse(TestStore.yaml(10_000, 10_000, "5ms") + """
                upstream:
                  brokerUri: %s
                  protocol: %s
                  hashKey: upstream-test-hash-key
                  summaryWindow: %ds
                  reconnectMin: 50ms
                  reconnectMax: 500ms
                """.formatted(brokerUri, protocol.name().toLowerCase(), WINDOW.toSeconds()));
    }
}
