package io.floorgate.sim.arrivals;

import io.floorgate.config.StoreConfig;
import java.net.URI;
import java.time.Duration;

/**
 * One arrivals run.
 *
 * @param api           the gateway's app API, http://host:port
 * @param broker        the gateway's MQTT listener, tcp://host:port
 * @param store         the store: its pickup point, the receivers of its zone and their secrets
 * @param systemToken   the store's {@code sessions.systemClientToken}: the order system's and (for now) staff's token
 * @param pickupPointId where the shoppers collect; null for the store's first pickup point
 * @param arrivals      shoppers to walk into the pickup zone, each with one order
 * @param interval      between one arrival and the next
 * @param resendEvery   how often the zone's receivers report a shopper not yet notified
 * @param timeout       after the first sighting, how long to wait for the notification before counting it missed
 */
public record ArrivalsOptions(URI api, URI broker, StoreConfig store, String systemToken, String pickupPointId,
                              int arrivals, Duration interval, Duration resendEvery, Duration timeout) {

    public ArrivalsOptions {
        if (arrivals < 1) {
            throw new IllegalArgumentException("arrivals must be >= 1, not " + arrivals);
        }
        if (interval.isNegative() || !positive(resendEvery) || !positive(timeout)) {
            throw new IllegalArgumentException("the interval must be >= 0, the resend period and timeout > 0");
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** The longest a run can take once the shoppers are ready: the last arrival starts, then waits its timeout. */
    Duration longestRun() {
        return interval.multipliedBy(arrivals - 1L).plus(timeout);
    }
}
