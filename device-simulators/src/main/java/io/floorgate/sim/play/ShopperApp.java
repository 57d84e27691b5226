package io.floorgate.sim.play;

/**
 * The shoppers' phones as the gateway sees them over HTTP: check in on entering, check out on
 * leaving. Called on the simulation's tick thread, so an implementation must not block; the key
 * it is issued comes back through {@link StoreSimulation#issue(IssuedKey)} on that same thread.
 */
public interface ShopperApp {

    void entered(String shopperId, boolean locationConsent);

    void left(String shopperId);
}
