package io.floorgate.sim.play;

/**
 * The shoppers' phones as the gateway sees them over HTTP: check in on entering, check out on
 * leaving, and for a shopper collecting an order the pickup steps. Called on the simulation's tick thread, so an implementation must not block; the key
 * it is issued comes back through {@link StoreSimulation#issue(IssuedKey)} on that same thread.
 */
public interface ShopperApp {

    void entered(String shopperId, boolean locationConsent);

    void left(String shopperId);

    /** Called just before {@link #entered} for a shopper who comes to collect the order with this code there. */
    default void collecting(String shopperId, String orderCode, String pickupPointId) {
    }

    /** A collecting shopper first stepped into the pickup zone: the true arrival, in simulated epoch milliseconds. */
    default void reachedPickup(String shopperId, long epochMs) {
    }
}
