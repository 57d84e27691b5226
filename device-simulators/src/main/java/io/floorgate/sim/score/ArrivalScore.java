package io.floorgate.sim.score;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a score run measured of pickup arrivals: staff notifications against the true arrivals.
 *
 * @param orders        orders the simulated order system marked ready
 * @param trueArrivals  of those, shoppers who stepped into the pickup zone early enough to be judged
 * @param detected      true arrivals staff were told about
 * @param missed        true arrivals staff were never told about
 * @param delayP50Ms    true arrival → staff notification, median
 * @param delayP95Ms    the same, 95th percentile
 * @param bySource      the same by how the gateway knew, by source name
 * @param notices       the first staff notification of each of this run's orders
 * @param falseArrivals of those, for a shopper who was not in the pickup zone then
 */
public record ArrivalScore(int orders, int trueArrivals, int detected, int missed, long delayP50Ms,
                           long delayP95Ms, List<SourceDelay> bySource, int notices, int falseArrivals) {

    public double falseArrivalShare() {
        return notices == 0 ? 0 : (double) falseArrivals / notices;
    }

    public String report() {
        return String.format(Locale.ROOT, "pickup arrivals: %d orders ready, %d true arrivals, %d notified, %d missed%n",
                orders, trueArrivals, detected, missed)
                + String.format(Locale.ROOT, "arrival detection delay (entering the pickup zone → staff notified):"
                        + " p50 %.1f s, p95 %.1f s%n", delayP50Ms / 1000.0, delayP95Ms / 1000.0)
                + bySource.stream().map(d -> String.format(Locale.ROOT, "  by %-6s p50 %.1f s, p95 %.1f s (%d)%n",
                        d.source(), d.p50Ms() / 1000.0, d.p95Ms() / 1000.0, d.detected())).collect(Collectors.joining())
                + String.format(Locale.ROOT, "false arrivals: %d of %d notifications (%.1f %%)%n", falseArrivals,
                notices, 100 * falseArrivalShare());
    }

    public JsonObject json() {
        JsonArray sources = new JsonArray();
        bySource.forEach(d -> sources.add(new JsonObject().put("source", d.source()).put("detected", d.detected())
                .put("delayP50Ms", d.p50Ms()).put("delayP95Ms", d.p95Ms())));
        return new JsonObject().put("orders", orders).put("trueArrivals", trueArrivals).put("detected", detected)
                .put("missed", missed).put("delayP50Ms", delayP50Ms).put("delayP95Ms", delayP95Ms)
                .put("bySource", sources)
                .put("notices", notices).put("falseArrivals", falseArrivals);
    }
}
