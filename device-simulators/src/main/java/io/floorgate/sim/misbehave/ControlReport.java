package io.floorgate.sim.misbehave;

/**
 * How the well-behaved control device fared while the cases ran.
 *
 * @param deviceId  the control device
 * @param sent      QoS 1 taps published
 * @param acked     PUBACKs received
 * @param failed    publishes that failed
 * @param p50Ms     publish to PUBACK, median
 * @param p99Ms     publish to PUBACK, 99th percentile
 * @param maxMs     publish to PUBACK, worst
 * @param connected still connected at the end
 */
public record ControlReport(String deviceId, long sent, long acked, long failed, double p50Ms, double p99Ms, double maxMs,
                            boolean connected) {

    public boolean healthy() {
        return connected && failed == 0 && acked == sent && sent > 0;
    }

    public String line() {
        return String.format("%-4s %-22s | sent %d QoS 1 taps every %d ms | acked %d, failed %d, PUBACK p50=%.1f ms "
                        + "p99=%.1f ms max=%.1f ms, %s", healthy() ? "ok" : "FAIL", "well-behaved " + deviceId,
                sent, WellBehavedDevice.INTERVAL_MS, acked, failed, p50Ms, p99Ms, maxMs, connected ? "connected" : "DISCONNECTED");
    }
}
