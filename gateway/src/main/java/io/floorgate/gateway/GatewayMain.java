package io.floorgate.gateway;

import java.nio.file.Path;
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
import io.floorgate.gateway.store.RestoreBackupCommand;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar floorgate-gateway.jar}: runs one store's gateway until SIGTERM or Ctrl-C; {@code ... hash-password}
 * makes a staff account's password hash instead, {@code ... restore-backup} puts a backup in place of the database.
 * A start that finds the database damaged exits with {@value #EXIT_DAMAGED_DATABASE} and the command to recover.
 */
@Command(name = "floorgate-gateway", mixinStandardHelpOptions = true,
        description = "Runs the Floorgate in-store gateway.", subcommands = {HashPasswordCommand.class, RestoreBackupCommand.class})
public final class GatewayMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);
    private static final int EXIT_BAD_CONFIG = 2;
    private static final int EXIT_START_FAILED = 3;
    private static final int EXIT_DAMAGED_DATABASE = 4;
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

    private static Optional<DamagedDatabaseException> damagedDatabase(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DamagedDatabaseException damaged) {
                return Optional.of(damaged);
            }
        }
        return Optional.empty();
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
            System.err.println(e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        Listeners l = config.listeners();
        config = config.withListeners(l.withPorts(mqttPort != null ? mqttPort : l.mqttPort(),
                httpPort != null ? httpPort : l.httpPort()));

        Vertx vertx = Vertx.vertx();
        Gateway gateway;
        try {
            gateway = Gateway.start(vertx, new GatewaySettings(config, Optional.ofNullable(configFile), dataDir, fsync))
                    .toCompletionStage().toCompletableFuture().get();
        } catch (Exception e) {
            vertx.close();
            Optional<DamagedDatabaseException> damaged = damagedDatabase(e);
            if (damaged.isPresent()) {
                // The operator's next step is in the message: said once, plainly, on standard error and in the log.
                LOG.error("Gateway did not start: {}", damaged.get().getMessage());
                System.err.println(damaged.get().getMessage());
                return EXIT_DAMAGED_DATABASE;
            }
            LOG.error("Gateway did not start: {}", e.getCause() != null ? e.getCause().toString() : e.toString());
            return EXIT_START_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                vertx.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Graceful stop did not finish: {}", e.toString());
            } finally {
                stopped.countDown();
            }
        }, "floorgate-shutdown"));
        stopped.await();
        return 0;
    }
}
