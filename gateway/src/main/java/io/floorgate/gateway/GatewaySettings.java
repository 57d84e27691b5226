package io.floorgate.gateway;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;

import io.floorgate.config.StoreConfig;

/**
 * How to run one gateway.
 *
 * @param config        the store configuration in force at start
 * @param configFile    where it came from, watched for changes; empty for the built-in demo store
 * @param dataDir       the directory of the H2 database
 * @param fsyncOnCommit force every committed batch to the disk device (survives a power cut, at one
 *                      fsync per batch); without it a commit survives a crash of the gateway process
 *                      but not necessarily of the machine
 * @param staffClock    epoch ms for staff sessions' expiry and the login lockout, so that tests can move time
 *                      across a timeout; the other stages read the system clock
 */
public record GatewaySettings(StoreConfig config, Optional<Path> configFile, Path dataDir, boolean fsyncOnCommit,
                              LongSupplier staffClock) {

    /** On the system clock. */
    public GatewaySettings(StoreConfig config, Optional<Path> configFile, Path dataDir, boolean fsyncOnCommit) {
        this(config, configFile, dataDir, fsyncOnCommit, System::currentTimeMillis);
    }

    public static GatewaySettings of(StoreConfig config, Path dataDir) {
        return new GatewaySettings(config, Optional.empty(), dataDir, false);
    }
}
