package io.floorgate.sim.play;

/**
 * Where a shopper really was: the ground truth a location pipeline is judged against.
 *
 * @param epochMs   simulated time, milliseconds since the Unix epoch (the clock the devices stamp events with)
 * @param shopperId the simulated shopper, never sent to the gateway
 * @param zone      the zone the shopper is in
 * @param x         position, metres on the floor plan
 * @param y         position, metres on the floor plan
 */
public record TruthRow(long epochMs, String shopperId, String zone, double x, double y) {
}
