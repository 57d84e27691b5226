package io.floorgate.gateway;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.floorgate.config.ConfigException;
import io.floorgate.config.Listeners;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.staff.HashPasswordCommand;
import io.floorgate.gateway.store.DamagedDatabaseException;
import io.floorgate.gateway.store.DatabaseKey;
import io.floorgate.gateway.store.KeyRefused;
import io.floorgate.gateway.store.KeySource;
import io.floorgate.gateway.store.NewKeyCommand;
import io.floorgate.gateway.store.RestoreBackupCommand;
import io.floorgate.gateway.store.RotateKeyCommand;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar floorgate-gateway.jar}: runs one store's gateway until SIGTERM or Ctrl-C; {@code ... hash-password}
 * makes a staff account's password hash instead, {@code new-key} and {@code rotate-key} make and change the database
 * key (docs/encryption.md), {@code restore-backup} puts a backup in place of the database (docs/operations.md).
 *
 * <p>The database is encrypted at rest with a key from {@link KeySource}; without one the gateway refuses to start
 * unless {@code --unencrypted} says that a database in clear is meant (tests, benchmarks, a demo's old data). A start
 * that finds the database damaged exits with {@value #EXIT_DAMAGED_DATABASE} and the command to recover.
 */
@Command(name = "floorgate-gateway", mixinStandardHelpOptions = true,
        description = "Runs the Floorgate in-store gateway.",
        subcommands = {HashPasswordCommand.class, NewKeyCommand.class, RotateKeyCommand.class,
                RestoreBackupCommand.class})
public final class GatewayMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);
    private static final int EXIT_BAD_CONFIG = 2;
    private static final int EXIT_START_FAILED = 3;
    private static final int EXIT_STOPPED = 0;
    /** No key, a key that cannot be used, or one that does not open the database: nothing was opened or changed. */
    static final int EXIT_DATABASE_KEY = 4;
    /** The database is damaged and no backup was put in its place; the message says how to recover. */
    static final int EXIT_DAMAGED_DATABASE = 5;
    /** SIGTERM's graceful stop did not finish within its time. */
    private static final int EXIT_STOP_FAILED = 6;
    private static final long STOP_TIMEOUT_SECONDS = 30;

    @Option(names = "--config", description = "Store configuration YAML; default: the built-in demo store.")
    private Path configFile;

    @Option(names = "--data-dir", defaultValue = "data", description = "Directory of the H2 database (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--mqtt-port", description = "Overrides listeners.mqttPort.")
    private Integer mqttPort;

    @Option(names = "--http-port", description = "Overrides listeners.httpPort.")
    private Integer httpPort;

    @Option(names = "--fsync", description = "fsync every committed batch: survives a power cut, at a cost per batch.")
    private boolean fsync;

    @Option(names = "--db-key-file", description = {"File holding the database key (readable by its owner only)."
            + " Without it: the environment variable " + KeySource.ENV + ", else the systemd credential "
            + KeySource.CREDENTIAL + "."})
    private Path keyFile;

    @Option(names = "--unencrypted", description = "Runs with the database in clear, without a key: for tests and"
            + " benchmarks, never for a store's shoppers' data.")
    private boolean unencrypted;

    private final Map<String, String> env;
    private final PrintStream err;

    public GatewayMain() {
        this(System.getenv(), System.err);
    }

    /** @param env the environment the key may come from; a map in tests */
    GatewayMain(Map<String, String> env, PrintStream err) {
        this.env = env;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        StoreConfig config;
        try {
            config = configFile == null ? StoreConfigLoader.loadDemo() : StoreConfigLoader.load(configFile);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        Optional<DatabaseKey> key;
        try {
            key = databaseKey();
        } catch (KeyRefused e) {
            err.println("Not started: " + e.getMessage());
            return EXIT_DATABASE_KEY;
        }
        Listeners l = config.listeners();
        config = config.withListeners(l.withPorts(mqttPort != null ? mqttPort : l.mqttPort(),
                httpPort != null ? httpPort : l.httpPort()));

        Vertx vertx = Vertx.vertx();
        Gateway gateway;
        try {
            gateway = Gateway.start(vertx, new GatewaySettings(config, Optional.ofNullable(configFile), dataDir, fsync)
                    .withDatabaseKey(key)).toCompletionStage().toCompletableFuture().get();
        } catch (Exception e) {
            vertx.close();
            Optional<KeyRefused> refused = causeOf(e, KeyRefused.class);
            if (refused.isPresent()) {
                err.println("Not started: " + refused.get().getMessage());
                return EXIT_DATABASE_KEY;
            }
            Optional<DamagedDatabaseException> damaged = causeOf(e, DamagedDatabaseException.class);
            if (damaged.isPresent()) {
                // The operator's next step is in the message: said once, plainly, on standard error and in the log.
                LOG.error("Gateway did not start: {}", damaged.get().getMessage());
                err.println(damaged.get().getMessage());
                return EXIT_DAMAGED_DATABASE;
            }
            LOG.error("Gateway did not start: {}", e.getCause() != null ? e.getCause().toString() : e.toString());
            return EXIT_START_FAILED;
        }
        // SIGTERM and Ctrl-C start the JVM's shutdown, which runs this hook and would then end the process with 128 +
        // the signal (143) whatever the hook did. A service manager reads that as a failure, so once the gateway has
        // stopped cleanly the hook ends the process itself, with 0. halt() skips nothing of ours: this is the only
        // hook the gateway registers, and the database is closed by the stop.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(stop(gateway, vertx)),
                "floorgate-shutdown"));
        new CountDownLatch(1).await();
        throw new IllegalStateException("the gateway runs until a signal ends the process");
    }

    /** The graceful stop: listeners closed, queued writes committed, database shut down; the exit code it earns. */
    private static int stop(Gateway gateway, Vertx vertx) {
        try {
            gateway.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return EXIT_STOPPED;
        } catch (Exception e) {
            LOG.warn("Graceful stop did not finish: {}", e.toString());
            return EXIT_STOP_FAILED;
        }
    }

    private Optional<DatabaseKey> databaseKey() throws KeyRefused {
        KeySource source = new KeySource(env);
        if (unencrypted) {
            if (source.anyGiven(Optional.ofNullable(keyFile))) {
                throw new KeyRefused("--unencrypted was given together with a database key (--db-key-file, "
                        + KeySource.ENV + " or the credential " + KeySource.CREDENTIAL + "): give one or the other");
            }
            LOG.warn("--unencrypted: the database in {} is in clear; anyone who copies it reads shoppers' data",
                    dataDir.toAbsolutePath());
            return Optional.empty();
        }
        Optional<DatabaseKey> key = source.gatewayKey(Optional.ofNullable(keyFile));
        if (key.isEmpty()) {
            throw new KeyRefused("no database key. The database is encrypted at rest with a key kept outside the data"
                    + " directory: give it with --db-key-file FILE (make one with: floorgate-gateway new-key --out"
                    + " FILE), the environment variable " + KeySource.ENV + " or the systemd credential "
                    + KeySource.CREDENTIAL + "; or run in clear with --unencrypted (tests and benchmarks only)");
        }
        LOG.info("Database encrypted at rest, key from {}", key.get().source());
        return key;
    }

    private static <T extends Throwable> Optional<T> causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
