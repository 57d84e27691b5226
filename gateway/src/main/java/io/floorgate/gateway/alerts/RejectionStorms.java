package io.floorgate.gateway.alerts;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import io.floorgate.gateway.ingest.Rejection;
import io.floorgate.gateway.ingest.RejectionListener;

/**
 * Counts ingest's refusals in fixed windows of {@link #WINDOW_MS}: connections refused for an unknown id or a wrong
 * secret (someone scanning, or a device with stale credentials), and each device's messages refused for going over
 * its rate (a flood). A window over its threshold is a storm.
 *
 * <p>Threads: {@link #rejected} is called from every event loop, at flood rate, and only adds to a counter;
 * {@link #closeWindow} is called by the alert stage once per window. The devices counted are those of the registry
 * (ingest labels any other id {@code unknown}), so the map is bounded by the store's devices.
 */
final class RejectionStorms implements RejectionListener {

    static final long WINDOW_MS = 10_000;
    /** Refused connections per window: a misconfigured device retrying every few seconds stays below it. */
    static final int UNKNOWN_DEVICE_THRESHOLD = 20;
    /** One device's messages refused for its rate per window: a few bursts stay below it. */
    static final int FLOOD_THRESHOLD = 100;

    /** What one window saw over the thresholds. */
    record Window(boolean unknownDeviceStorm, long unknownDeviceRefusals, Map<String, Long> floods) {
    }

    private final LongAdder unknownDevices = new LongAdder();
    private final Map<String, LongAdder> overRate = new ConcurrentHashMap<>();

    @Override
    public void rejected(Rejection reason, String deviceLabel) {
        switch (reason) {
            case UNKNOWN_DEVICE, BAD_SECRET, CLIENT_ID_MISMATCH -> unknownDevices.increment();
            case RATE_LIMITED -> overRate.computeIfAbsent(deviceLabel, d -> new LongAdder()).increment();
            default -> {
                // a bad payload is one device's problem, counted in the metrics, not a storm
            }
        }
    }

    /** Ends the current window: what it counted, and a fresh count from now. */
    Window closeWindow() {
        long unknown = unknownDevices.sumThenReset();
        Map<String, Long> floods = overRate.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sumThenReset()))
                .filter(e -> e.getValue() >= FLOOD_THRESHOLD)
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        return new Window(unknown >= UNKNOWN_DEVICE_THRESHOLD, unknown, floods);
    }
}
