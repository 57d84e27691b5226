package io.floorgate.gateway.upstream;

import io.floorgate.config.Upstream;

/**
 * How soon the outbox reaches a bound if it keeps growing as it does: rows and bytes by their smoothed growth per
 * second, age by the oldest message's age when that keeps growing. -1 when nothing grows.
 *
 * <p>Thread: sampled by the forwarder's thread; read by the gauge.
 */
final class BoundEta {

    /** Weight of the newest sample in the smoothed growth: about the last five samples count. */
    private static final double SMOOTHING = 0.3;
    static final double NOT_GROWING = -1;

    private final long maxRows;
    private final long maxBytes;
    private final double maxAgeSeconds;
    private long lastMs = -1;
    private long lastRows;
    private long lastBytes;
    private double lastAgeSeconds;
    private double rowsPerSecond;
    private double bytesPerSecond;
    private volatile double seconds = NOT_GROWING;

    BoundEta(Upstream upstream) {
        this.maxRows = upstream.outboxMaxRows();
        this.maxBytes = upstream.outboxMaxBytes();
        this.maxAgeSeconds = upstream.outboxMaxAge().toSeconds();
    }

    void sample(long nowMs, long rows, long bytes, double oldestAgeSeconds) {
        if (lastMs >= 0 && nowMs > lastMs) {
            double dt = (nowMs - lastMs) / 1000.0;
            rowsPerSecond += SMOOTHING * ((rows - lastRows) / dt - rowsPerSecond);
            bytesPerSecond += SMOOTHING * ((bytes - lastBytes) / dt - bytesPerSecond);
            double eta = Double.POSITIVE_INFINITY;
            if (rowsPerSecond > 0) {
                eta = Math.min(eta, Math.max(0, maxRows - rows) / rowsPerSecond);
            }
            if (bytesPerSecond > 0) {
                eta = Math.min(eta, Math.max(0, maxBytes - bytes) / bytesPerSecond);
            }
            // The oldest message ages by a second a second only while nothing drains it.
            if (oldestAgeSeconds > lastAgeSeconds + dt / 2) {
                eta = Math.min(eta, Math.max(0, maxAgeSeconds - oldestAgeSeconds));
            }
            seconds = Double.isInfinite(eta) ? NOT_GROWING : eta;
        }
        lastMs = nowMs;
        lastRows = rows;
        lastBytes = bytes;
        lastAgeSeconds = oldestAgeSeconds;
    }

    double seconds() {
        return seconds;
    }
}
