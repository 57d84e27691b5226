package io.floorgate.sim.arrivals;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * What an arrivals run measured: first arrival sighting sent → {@code arrival} on the staff stream.
 *
 * @param arrivals arrivals sent
 * @param timed    arrivals notified in time, each timed
 * @param missed   arrivals not notified within the timeout
 * @param early    notifications that came before any sighting of the shopper was sent
 * @param p50Ms    median of the timed
 * @param p95Ms    95th percentile
 * @param p99Ms    99th percentile
 * @param maxMs    the slowest
 */
public record ArrivalsResult(int arrivals, long timed, int missed, int early, double p50Ms, double p95Ms,
                             double p99Ms, double maxMs) {

    public String line() {
        return String.format(Locale.ROOT,
                "arrivals=%d notified=%d missed=%d early=%d p50=%.1fms p95=%.1fms p99=%.1fms max=%.1fms",
                arrivals, timed, missed, early, p50Ms, p95Ms, p99Ms, maxMs);
    }

    public JsonObject json() {
        return new JsonObject().put("arrivals", arrivals).put("timed", timed).put("missed", missed).put("early", early)
                .put("p50Ms", p50Ms).put("p95Ms", p95Ms).put("p99Ms", p99Ms).put("maxMs", maxMs);
    }
}
