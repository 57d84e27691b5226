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
 */
public record PlayOptions(StoreConfig store, String gatewayUri, int shoppers, double speed, Duration duration,
                          long seed, long startEpochMs, Consumer<TruthRow> truth, Optional<URI> api,
                          double locationConsentShare) {

    public PlayOptions {
        if (shoppers < 0 || speed <= 0) {
            throw new IllegalArgumentException("shoppers must be >= 0 and speed > 0");
        }
        if (locationConsentShare < 0 || locationConsentShare > 1) {
            throw new IllegalArgumentException("locationConsentShare must be within 0..1");
        }
    }
}
