package io.floorgate.sim.play;

import io.floorgate.config.StoreConfig;
import java.time.Duration;
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
 * @param startEpochMs the simulated clock's start, milliseconds since the epoch
 * @param truth        receives the ground truth, one row per shopper per simulated second
 */
public record PlayOptions(StoreConfig store, String gatewayUri, int shoppers, double speed, Duration duration,
                          long seed, long startEpochMs, Consumer<TruthRow> truth) {

    public PlayOptions {
        if (shoppers < 0 || speed <= 0) {
            throw new IllegalArgumentException("shoppers must be >= 0 and speed > 0");
        }
    }
}
