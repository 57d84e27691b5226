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
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar floorgate-gateway.jar}: runs one store's gateway until SIGTERM or Ctrl-C; {@code ... hash-password}
 * makes a staff account's password hash instead.
 */
@Command(name = "floorgate-gateway", mixinStandardHelpOptions = true,
        description = "Runs the Floorgate in-store gateway.", subcommands = HashPasswordCommand.class)
public final class GatewayMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);
    private static final int EXIT_BAD_CONFIG = 2;
    private static final int EXIT_START_FAILED = 3;
    private static final int EXIT_STOPPED = 0;
    private static final int EXIT_STOP_FAILED = 4;
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
            LOG.error("Gateway did not start: {}", e.getCause() != null ? e.getCause().toString() : e.toString());
            vertx.close();
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
}
