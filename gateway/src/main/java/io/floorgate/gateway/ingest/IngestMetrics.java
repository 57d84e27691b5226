package io.floorgate.gateway.ingest;

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
 * client-chosen string, so a scanner cannot grow the metric without bound.
 */
public final class IngestMetrics {

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

    /**
     * Refusals so far, by reason and device label (a configured device id or {@code unknown}), for the summaries
     * and the storm watch, which take differences between two reads.
     */
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
