package io.floorgate.sim.score;

/**
 * Arrival detection delay for the arrivals the gateway knew one way: the zone's delay is the location
 * pipeline's, the app's and kiosk's only the push's, and mixed together they hide each other.
 *
 * @param source   {@code app}, {@code zone} or {@code kiosk}, as the staff stream named it
 * @param detected true arrivals notified from this source
 * @param p50Ms    median delay
 * @param p95Ms    95th percentile delay
 */
public record SourceDelay(String source, int detected, long p50Ms, long p95Ms) {
}
