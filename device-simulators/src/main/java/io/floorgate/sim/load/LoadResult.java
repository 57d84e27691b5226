package io.floorgate.sim.load;

import io.vertx.core.json.JsonObject;

/**
 * What a load run measured over its window (after warm-up).
 *
 * @param qos          0 or 1
 * @param connections  connections used
 * @param payloadBytes approximate event size
 * @param seconds      length of the measured window
 * @param sentPerS     PUBLISH packets written per second
 * @param ackedPerS    PUBACKs received per second (QoS 1), else 0
 * @param countedPerS  deliveries counted by the subscriber or the gateway's accepted counter per second; -1 when not counted
 * @param countedBy    "subscriber", "metrics" or "none"
 * @param p50Ms        publish to PUBACK, median (QoS 1)
 * @param p99Ms        publish to PUBACK, 99th percentile (QoS 1)
 * @param maxMs        publish to PUBACK, worst (QoS 1)
 * @param latencySamples PUBACKs timed
 * @param disconnected connections that dropped during the run
 */
public record LoadResult(int qos, int connections, int payloadBytes, double seconds, double sentPerS,
                         double ackedPerS, double countedPerS, String countedBy, double p50Ms, double p99Ms,
                         double maxMs, long latencySamples, int disconnected) {

    public String line() {
        StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT,
                "qos=%d connections=%d payload=%dB window=%.1fs sent/s=%.0f", qos, connections, payloadBytes,
                seconds, sentPerS));
        if (qos == 1) {
            s.append(String.format(java.util.Locale.ROOT, " acked/s=%.0f p50=%.2fms p99=%.2fms max=%.2fms",
                    ackedPerS, p50Ms, p99Ms, maxMs));
        }
        if (countedPerS >= 0) {
            s.append(String.format(java.util.Locale.ROOT, " %s/s=%.0f", countedBy, countedPerS));
        }
        if (disconnected > 0) {
            s.append(" disconnected=").append(disconnected);
        }
        return s.toString();
    }

    public JsonObject json() {
        return new JsonObject().put("qos", qos).put("connections", connections).put("payloadBytes", payloadBytes)
                .put("seconds", seconds).put("sentPerS", sentPerS).put("ackedPerS", ackedPerS)
                .put("countedPerS", countedPerS).put("countedBy", countedBy).put("p50Ms", p50Ms)
                .put("p99Ms", p99Ms).put("maxMs", maxMs).put("latencySamples", latencySamples)
                .put("disconnected", disconnected);
    }
}
