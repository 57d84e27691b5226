package io.floorgate.gateway.store;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.Gateway;
import io.floorgate.gateway.GatewaySettings;
import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import io.vertx.core.Vertx;

/** The test store with a {@code storage:} section, and what the backup and damage tests do with a gateway. */
final class StoredGateway {

    static final long BOOT = 0xbacL;
    static final String EVENTS = "SELECT COUNT(*) FROM device_event";

    private StoredGateway() {
    }

    static StoreConfig config(String storage) {
        return TestStore.parse(TestStore.yaml(10_000, 10_000, "5ms") + "storage: " + storage + "\n");
    }

    static RunningGateway start(String storage, Path dataDir) {
        return RunningGateway.start(GatewaySettings.of(config(storage), dataDir));
    }

    /** QoS 1 taps {@code from..to}, each acknowledged, so each committed. */
    static void publish(RunningGateway gateway, long from, long to) throws Exception {
        try (TestDevice nfc = TestDevice.connect(gateway.mqttUri(), TestStore.NFC)) {
            for (long seq = from; seq <= to; seq++) {
                nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, seq).build(), 1).waitForCompletion(10_000);
            }
        }
    }

    /**
     * A data directory as a store leaves it: events 1..3 in a backup, events 4..5 after it, the gateway stopped.
     */
    static void withBackupThenMore(Path dataDir) throws Exception {
        try (RunningGateway gateway = start("{ backupInterval: 7d, backupsKept: 5 }", dataDir)) {
            publish(gateway, 1, 3);
            RunningGateway.await(gateway.gateway().backups().backUp());
            publish(gateway, 4, 5);
        }
    }

    /** Starts a gateway that is expected not to start: its failure, its Vert.x closed either way. */
    static Throwable failedStart(String storage, Path dataDir) {
        Vertx vertx = Vertx.vertx();
        try {
            Gateway gateway = Gateway.start(vertx, GatewaySettings.of(config(storage), dataDir))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            throw new AssertionError("the gateway started on " + dataDir);
        } catch (Exception e) {
            return e;
        } finally {
            vertx.close();
        }
    }

    static Optional<DamagedDatabaseException> damage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DamagedDatabaseException damaged) {
                return Optional.of(damaged);
            }
        }
        return Optional.empty();
    }
}
