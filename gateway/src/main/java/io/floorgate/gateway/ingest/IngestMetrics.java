package io.floorgate.gateway.ingest;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.floorgate.config.DeviceKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Ingest counters. Accepted messages by device kind, channel and QoS; rejections by reason and
 * device. The device label of a rejection is the registered device id or {@code unknown}, never a
 * client-chosen string, so a scanner cannot grow the metric without bound. The rejection counters are also read
 * back, as a {@link RejectionQuery}.
 */
public final class IngestMetrics implements RejectionQuery {

    public static final String UNKNOWN_DEVICE = "unknown";
    private static final int QOS_LEVELS = 3;

    private final MeterRegistry registry;
    private final Counter[][][] accepted;
    private final Map<Rejection, Map<String, Counter>> rejected = new EnumMap<>(Rejection.class);
    private final Map<String, Counter> throttled = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        DeviceKind[] kinds = DeviceKind.values();
        Channel[] channels = Channel.values();
        this.accepted = new Counter[kinds.length][channels.length][QOS_LEVELS];
        for (DeviceKind kind : kinds) {
            for (Channel channel : channels) {
                if (channel == Channel.COMMANDS) {
                    continue; // never published by a device, see DeviceConnection
                }
                for (int qos = 0; qos < QOS_LEVELS; qos++) {
                    accepted[kind.ordinal()][channel.ordinal()][qos] = Counter.builder("floorgate.ingest.accepted")
                            .description("Device messages taken in")
                            .tag("kind", kindLabel(kind)).tag("channel", channel.label()).tag("qos", String.valueOf(qos))
                            .register(registry);
                }
            }
        }
        for (Rejection r : Rejection.values()) {
            rejected.put(r, new ConcurrentHashMap<>());
        }
    }

    void accepted(DeviceKind kind, Channel channel, int qos) {
        accepted[kind.ordinal()][channel.ordinal()][qos].increment();
    }

    /** A QoS 1 message held back because its device was over its rate: delayed, not lost. */
    void throttled(String deviceId) {
        throttled.computeIfAbsent(deviceId, device -> Counter.builder("floorgate.ingest.throttled")
                .description("QoS 1 messages held unacknowledged because the device was over its publish rate")
                .tag("device", device).register(registry)).increment();
    }

    void rejected(Rejection reason, String deviceLabel) {
        rejected.get(reason).computeIfAbsent(deviceLabel, device -> Counter.builder("floorgate.ingest.rejected")
                .description("Device connections and messages refused")
                .tag("reason", reason.label()).tag("device", device)
                .register(registry)).increment();
    }

    @Override
    public Map<String, Long> rejectedByDevice() {
        Map<String, Long> byDevice = new HashMap<>();
        rejected.values().forEach(counters -> counters.forEach(
                (device, counter) -> byDevice.merge(device, count(counter), Long::sum)));
        return Map.copyOf(byDevice);
    }

    @Override
    public Map<Rejection, Long> rejectedByReason() {
        Map<Rejection, Long> byReason = new EnumMap<>(Rejection.class);
        rejected.forEach((reason, counters) -> byReason.put(reason,
                counters.values().stream().mapToLong(IngestMetrics::count).sum()));
        return Collections.unmodifiableMap(byReason);
    }

    /** Counters count whole refusals; the double is Micrometer's type, not a fraction. */
    private static long count(Counter counter) {
        return (long) counter.count();
    }

    /**
     * Refusals so far, by reason and device label (a configured device id or {@code unknown}), for the summaries
     * and the storm watch, which take differences between two reads.
     */
    @Override
    public Map<Rejection, Map<String, Long>> rejectedSoFar() {
        Map<Rejection, Map<String, Long>> counts = new EnumMap<>(Rejection.class);
        rejected.forEach((reason, byDevice) -> byDevice.forEach((device, counter) -> counts
                .computeIfAbsent(reason, r -> new HashMap<>()).put(device, (long) counter.count())));
        return counts;
    }

    static String kindLabel(DeviceKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
