package io.floorgate.sim.play;

/**
 * Ground truth of a pickup: when the shopper collecting an order first stepped into the pickup zone.
 *
 * @param orderId   the order, as the simulated order system named it to the gateway
 * @param shopperId the simulated shopper
 * @param epochMs   simulated time, milliseconds since the Unix epoch
 */
public record TrueArrival(String orderId, String shopperId, long epochMs) {
}
