package io.floorgate.gateway.summary;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.floorgate.gateway.ingest.IngestMetrics;
import io.floorgate.gateway.ingest.Rejection;
import io.floorgate.proto.v1.IngestStorm;

/**
 * Notices storms in ingest's refusals, counted over tumbling {@link #WINDOW_S}-second windows: a flood (one device's
 * messages refused {@link #FLOOD_REFUSALS} times or more) and an unknown-device storm (connections refused for their
 * credentials {@link #UNKNOWN_DEVICE_REFUSALS} times or more, all ids together). A storm is reported when it begins:
 * a window over the threshold after one under it; while it lasts, the summaries' rejected counts tell its size.
 *
 * <p>Threads: confined to the summary stage's context.
 */
final class StormWatch {

    static final int WINDOW_S = 10;
    /** 100 refusals a second from one device: a receiver reports about once a second, a kiosk less. */
    static final long FLOOD_REFUSALS = 1_000;
    /** 10 refused connections a second: a scan or a misconfigured fleet, not one device retrying with backoff. */
    static final long UNKNOWN_DEVICE_REFUSALS = 100;

    /** Refused at CONNECT for who the client claimed to be. */
    private static final Set<Rejection> CREDENTIALS = EnumSet.of(Rejection.UNKNOWN_DEVICE, Rejection.BAD_SECRET,
            Rejection.CLIENT_ID_MISMATCH);
    /** Refused per message for what the device sent; a failed store or a busy server is not the device's doing. */
    private static final Set<Rejection> DEVICE_MESSAGES = EnumSet.of(Rejection.BAD_TOPIC, Rejection.FOREIGN_TOPIC,
            Rejection.OVERSIZE, Rejection.NOT_PROTOBUF, Rejection.INVALID_EVENT, Rejection.BODY_NOT_ALLOWED,
            Rejection.RATE_LIMITED, Rejection.DUPLICATE);

    /** A storm that began in the window ending at {@code atMs}. */
    record Storm(IngestStorm.Kind kind, long refused, String deviceId, long atMs) {
    }

    private final Supplier<Map<Rejection, Map<String, Long>>> rejections;
    private final long windowMs = WINDOW_S * 1000L;
    private Map<Rejection, Map<String, Long>> before;
    private long windowEndMs;
    private boolean flooding;
    private boolean unknownStorm;

    StormWatch(Supplier<Map<Rejection, Map<String, Long>>> rejections, long nowMs) {
        this.rejections = rejections;
        this.before = rejections.get();
        this.windowEndMs = (Math.floorDiv(nowMs, windowMs) + 1) * windowMs;
    }

    /** The storms that began in the window that closed by {@code nowMs}, if one did. */
    List<Storm> tick(long nowMs) {
        if (nowMs < windowEndMs) {
            return List.of();
        }
        Map<Rejection, Map<String, Long>> now = rejections.get();
        long credentials = 0;
        Map<String, Long> byDevice = new HashMap<>();
        for (Map.Entry<Rejection, Map<String, Long>> reason : now.entrySet()) {
            Map<String, Long> was = before.getOrDefault(reason.getKey(), Map.of());
            for (Map.Entry<String, Long> device : reason.getValue().entrySet()) {
                long refused = device.getValue() - was.getOrDefault(device.getKey(), 0L);
                if (CREDENTIALS.contains(reason.getKey())) {
                    credentials += refused;
                } else if (DEVICE_MESSAGES.contains(reason.getKey())
                        && !IngestMetrics.UNKNOWN_DEVICE.equals(device.getKey())) {
                    byDevice.merge(device.getKey(), refused, Long::sum);
                }
            }
        }
        before = now;
        long atMs = windowEndMs;
        windowEndMs = (Math.floorDiv(nowMs, windowMs) + 1) * windowMs;

        List<Storm> began = new ArrayList<>();
        Map.Entry<String, Long> worst = byDevice.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
        boolean floodNow = worst != null && worst.getValue() >= FLOOD_REFUSALS;
        if (floodNow && !flooding) {
            began.add(new Storm(IngestStorm.Kind.FLOOD, worst.getValue(), worst.getKey(), atMs));
        }
        flooding = floodNow;
        boolean unknownNow = credentials >= UNKNOWN_DEVICE_REFUSALS;
        if (unknownNow && !unknownStorm) {
            began.add(new Storm(IngestStorm.Kind.UNKNOWN_DEVICES, credentials, "", atMs));
        }
        unknownStorm = unknownNow;
        return began;
    }
}
