package io.floorgate.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.store.DatabaseKey;
import io.floorgate.gateway.upstream.Forwarder;

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
 * @param uplinkBacklogAlertAfter how long the uplink may be down with rows waiting before the uplink backlog
 *                      alert: {@link Forwarder#BACKLOG_ALARM_AFTER}, shorter in tests
 * @param databaseKey   the key the database is encrypted with at rest; empty: in clear. {@code GatewayMain} refuses
 *                      to run a store without one unless told {@code --unencrypted}; the settings made in code (tests)
 *                      run in clear unless given one
 */
public record GatewaySettings(StoreConfig config, Optional<Path> configFile, Path dataDir, boolean fsyncOnCommit,
                              LongSupplier staffClock, Duration uplinkBacklogAlertAfter,
                              Optional<DatabaseKey> databaseKey) {

    /** On the system clock. */
    public GatewaySettings(StoreConfig config, Optional<Path> configFile, Path dataDir, boolean fsyncOnCommit) {
        this(config, configFile, dataDir, fsyncOnCommit, System::currentTimeMillis);
    }

    public GatewaySettings(StoreConfig config, Optional<Path> configFile, Path dataDir, boolean fsyncOnCommit,
                           LongSupplier staffClock) {
        this(config, configFile, dataDir, fsyncOnCommit, staffClock, Forwarder.BACKLOG_ALARM_AFTER, Optional.empty());
    }

    public GatewaySettings withUplinkBacklogAlertAfter(Duration after) {
        return new GatewaySettings(config, configFile, dataDir, fsyncOnCommit, staffClock, after, databaseKey);
    }

    public GatewaySettings withDatabaseKey(Optional<DatabaseKey> key) {
        return new GatewaySettings(config, configFile, dataDir, fsyncOnCommit, staffClock, uplinkBacklogAlertAfter, key);
    }

    public static GatewaySettings of(StoreConfig config, Path dataDir) {
        return new GatewaySettings(config, Optional.empty(), dataDir, false);
    }
}
