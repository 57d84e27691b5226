package io.floorgate.sim.play;

import io.floorgate.config.StoreConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One play run.
 *
 * @param store        the store whose devices are played
 * @param gatewayUri   tcp://host:port
 * @param shoppers     shoppers in the store at once
 * @param speed        simulated seconds per wall second
 * @param duration     simulated time to play; null: until stopped
 * @param seed         seeds every random choice
 * @param startEpochMs the simulated clock's start, milliseconds since the epoch; ignored when shoppers check in
 *                     over the app API, where the simulated clock starts at the wall clock's now
 * @param truth        receives the ground truth, one row per shopper per simulated second
 * @param api          the gateway's app API, http://host:port, where shoppers check in; empty: nobody checks in
 * @param locationConsentShare the share of shoppers who consent to be located
 * @param pickupShare  the share of shoppers who come to collect an online order
 * @param orderSystemToken the store's system client token, with which the simulated order system marks orders ready
 */
public record PlayOptions(StoreConfig store, String gatewayUri, int shoppers, double speed, Duration duration,
                          long seed, long startEpochMs, Consumer<TruthRow> truth, Optional<URI> api,
                          double locationConsentShare, double pickupShare, String orderSystemToken) {

    /** The default pickup share, and the demo store's order-system token. */
    public PlayOptions(StoreConfig store, String gatewayUri, int shoppers, double speed, Duration duration,
                       long seed, long startEpochMs, Consumer<TruthRow> truth, Optional<URI> api,
                       double locationConsentShare) {
        this(store, gatewayUri, shoppers, speed, duration, seed, startEpochMs, truth, api, locationConsentShare,
                Phones.DEFAULT_PICKUP_SHARE, PickupCalls.DEMO_SYSTEM_TOKEN);
    }

    public PlayOptions {
        if (pickupShare < 0 || pickupShare > 1) {
            throw new IllegalArgumentException("pickupShare must be within 0..1");
        }
        if (shoppers < 0 || speed <= 0) {
            throw new IllegalArgumentException("shoppers must be >= 0 and speed > 0");
        }
        if (locationConsentShare < 0 || locationConsentShare > 1) {
            throw new IllegalArgumentException("locationConsentShare must be within 0..1");
        }
    }
}
