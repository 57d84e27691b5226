package io.floorgate.sim.upstream;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The benchmark's ruler: a consumer (the same as {@code floorgate-sim upstream}) that waits until it has received a
 * number of distinct messages of a chain, and times them from the first receipt to the last. The same ruler reads
 * the gateway's drain and the bare publisher, so their ratio compares like with like.
 */
final class ReceiptCount {

    /** A store id no gateway has: the probe that proves the subscription is in place. */
    private static final String PROBE_STORE = "bench-probe";
    private static final Duration POLL = Duration.ofMillis(50);

    record Result(long received, long duplicates, long gaps, double seconds) {

        double perSecond() {
            return received / seconds;
        }

        String line() {
            return String.format("received=%d duplicates=%d gaps=%d seconds=%.2f receivedPerS=%.0f", received,
                    duplicates, gaps, seconds, perSecond());
        }
    }

    private ReceiptCount() {
    }

    /**
     * Subscribes, tells {@code ready} once a probe published to its own filters has come back (so nothing the
     * caller starts next can be missed), then waits for {@code expected} distinct messages or the timeout.
     */
    static Result count(UpstreamSubscriber.Options options, String chainId, long expected,
                        Duration timeout, Consumer<String> ready) throws Exception {
        UpstreamConsumer consumer = new UpstreamConsumer(chainId, Optional.empty(), Clock.systemUTC());
        long[] firstLast = new long[2];
        UpstreamSubscriber.Delivery timed = (topic, payload) -> {
            long now = System.nanoTime();
            consumer.arrived(topic, payload);
            synchronized (firstLast) {
                if (firstLast[0] == 0 && !topic.endsWith("/status")) {
                    firstLast[0] = now;
                }
                firstLast[1] = now;
            }
        };
        try (UpstreamSubscriber ignored = UpstreamSubscriber.connect(options, timed)) {
            awaitProbe(options, chainId, consumer, timeout);
            ready.accept("subscribed to " + String.join(", ", options.filters()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (distinct(consumer.rows()) < expected && System.nanoTime() < deadline) {
                Thread.sleep(POLL.toMillis());
            }
        }
        List<StoreRow> rows = consumer.rows();
        synchronized (firstLast) {
            return new Result(distinct(rows), rows.stream().mapToLong(StoreRow::duplicates).sum(),
                    rows.stream().mapToLong(StoreRow::gaps).sum(), (firstLast[1] - firstLast[0]) / 1e9);
        }
    }

    private static long distinct(List<StoreRow> rows) {
        return rows.stream().mapToLong(r -> r.summaries() + r.events()).sum();
    }

    private static void awaitProbe(UpstreamSubscriber.Options options, String chainId, UpstreamConsumer consumer,
                                   Duration timeout) throws Exception {
        String topic = new UpstreamTopic(chainId, PROBE_STORE, UpstreamTopic.Kind.STATUS).name();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (MqttClient probe = new MqttClient(options.broker().toString(), options.clientId() + "-probe",
                new MemoryPersistence())) {
            probe.connect();
            while (consumer.rows().stream().noneMatch(r -> r.storeId().equals(PROBE_STORE))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the subscription did not take effect within " + timeout);
                }
                probe.publish(topic, "probe".getBytes(StandardCharsets.UTF_8), 1, false);
                Thread.sleep(POLL.toMillis());
            }
            probe.disconnect();
        }
    }
}
