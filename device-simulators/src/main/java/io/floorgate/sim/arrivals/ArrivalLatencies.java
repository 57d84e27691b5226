package io.floorgate.sim.arrivals;

import io.floorgate.sim.load.LatencyHistogram;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Matches the staff stream's arrival notifications to this run's arrivals and times each from the first
 * sighting sent for its shopper to its first notification. Both instants are {@link System#nanoTime} of this
 * one process, so no clock needs to agree with another. Later sends (a receiver keeps reporting) and repeated
 * notifications change nothing; a notification for an order not of this run is not counted at all.
 *
 * <p>Thread: not thread-safe; the arrivals' event loop calls everything.
 */
final class ArrivalLatencies {

    private final Set<String> orders;
    private final Map<String, Long> firstSentNanos = new HashMap<>();
    /** Orders notified or given up: each is judged once. */
    private final Set<String> judged = new HashSet<>();
    private final LatencyHistogram latencies = new LatencyHistogram();
    private int missed;
    private int early;

    /** @param orders every order this run will send an arrival for */
    ArrivalLatencies(Collection<String> orders) {
        this.orders = Set.copyOf(orders);
    }

    /** A sighting of the order's shopper went out at {@code nanos}; only the first one starts the clock. */
    void sent(String orderId, long nanos) {
        if (orders.contains(orderId) && !judged.contains(orderId)) {
            firstSentNanos.putIfAbsent(orderId, nanos);
        }
    }

    /** Whether sightings of the order's shopper are out and the staff have not been told yet. */
    boolean awaiting(String orderId) {
        return firstSentNanos.containsKey(orderId);
    }

    /** Staff were told of the order's arrival at {@code nanos}. */
    void notified(String orderId, long nanos) {
        if (!orders.contains(orderId) || !judged.add(orderId)) {
            return;
        }
        Long sentAt = firstSentNanos.remove(orderId);
        if (sentAt == null) {
            // told before anything was sent: the gateway did not learn it from this run's sightings
            early++;
        } else {
            latencies.record(TimeUnit.NANOSECONDS.toMicros(nanos - sentAt));
        }
    }

    /** No notification in time: the arrival counts as missed, and a late notification no longer counts. */
    void gaveUp(String orderId) {
        if (firstSentNanos.remove(orderId) != null) {
            judged.add(orderId);
            missed++;
        }
    }

    /** Every order has been notified or given up. */
    boolean allJudged() {
        return judged.size() == orders.size();
    }

    ArrivalsResult result() {
        return new ArrivalsResult(orders.size(), latencies.count(), missed, early,
                millis(latencies.percentileMicros(50)), millis(latencies.percentileMicros(95)), millis(latencies.percentileMicros(99)),
                millis(latencies.maxMicros()));
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
