package io.floorgate.sim.demo;

import io.floorgate.config.StoreConfigLoader;
import io.floorgate.sim.DurationConverter;
import io.floorgate.sim.MetricsScrape;
import io.floorgate.sim.SimulatorMain;
import io.floorgate.sim.play.PlayCommand;
import io.floorgate.sim.upstream.SummaryLines;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the gateway, play the demo store against it, and show both sides' counters.")
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--gateway-jar", description = "Default: gateway/target/floorgate-gateway.jar beside this jar's module.")
    private Path gatewayJar;

    @Option(names = "--data-dir", defaultValue = "data/demo", description = "Default: ${DEFAULT-VALUE}.")
    private Path dataDir;

    @Option(names = "--mqtt-port", defaultValue = "1883", description = "Default: ${DEFAULT-VALUE}.")
    private int mqttPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "Default: ${DEFAULT-VALUE}.")
    private int httpPort;

    @Option(names = "--shoppers", defaultValue = "40", description = "Default: ${DEFAULT-VALUE}.")
    private int shoppers;

    @Option(names = "--speed", defaultValue = "5",
            description = "Simulated seconds per wall-clock second; 5 shows kiosk and NFC events within a minute. Default: ${DEFAULT-VALUE}.")
    private double speed;

    @Option(names = "--duration", converter = DurationConverter.class, description = "Default: until Ctrl-C.")
    private Duration duration;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--upstream", description = "An MQTT broker (tcp://host:port, MQTT 5) to send the store's"
            + " summaries and live events to, as the chain's upstream; the demo prints each summary it receives there."
            + " Default: none (they wait in the gateway's outbox).")
    private URI upstream;

    @Option(names = "--outage-every", converter = DurationConverter.class, defaultValue = "5m",
            description = "Simulated time between two receiver outages, so the ops page shows a device going offline;"
                    + " 0s: none. Default: ${DEFAULT-VALUE}.")
    private Duration outageEvery;

    @Option(names = "--outage-length", converter = DurationConverter.class, defaultValue = "1m",
            description = "Simulated length of one outage. Default: ${DEFAULT-VALUE}.")
    private Duration outageLength;

    /** Longer than the player's own wait for its last check-outs. */
    private static final long PLAYER_STOP_TIMEOUT_S = 20;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path jar = gatewayJar != null ? gatewayJar : defaultGatewayJar();
        Optional<Path> config = upstream == null ? Optional.empty()
                : Optional.of(DemoStoreFile.withUpstream(upstream, dataDir));
        GatewayProcess gateway = GatewayProcess.start(jar, config, dataDir, mqttPort, httpPort);
        CountDownLatch played = new CountDownLatch(1);
        // On Ctrl-C the player checks its shoppers out first (its own hook waits for that): the gateway must
        // still be there to answer, or every check-out is an API error in the last line.
        Thread stopOnCtrlC = new Thread(() -> {
            try {
                played.await(PLAYER_STOP_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopQuietly(gateway);
        }, "demo-stop-gateway");
        Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
        ScheduledExecutorService counters = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-gateway-counters");
            t.setDaemon(true);
            return t;
        });
        SummaryLines summaries = null;
        try {
            out.printf("starting the gateway (pid %d, log %s) ...%n", gateway.pid(), gateway.log());
            out.flush();
            gateway.awaitReady();
            URI metrics = URI.create("http://localhost:" + httpPort + "/metrics");
            out.printf("gateway ready.%n  ops page: http://localhost:%d/ops/%n"
                            + "            sign in as associate / demo-only-associate, manager / demo-only-manager"
                            + " or admin / demo-only-admin%n  metrics:  %s%n  health:   http://localhost:%d/health/ready%n"
                            + "  MQTT:     tcp://localhost:%d%n  data:     %s, %s%n  upstream: %s%n  stop:     Ctrl-C%n",
                    httpPort, metrics, httpPort, mqttPort, dataDir.toAbsolutePath(), gateway.atRest(), upstream == null
                            ? "none: summaries wait in the outbox; add --upstream tcp://localhost:1884 with any MQTT"
                            + " broker there (e.g. mosquitto -p 1884) to see them go up"
                            : upstream + ", a summary every " + DemoStoreFile.SUMMARY_WINDOW);
            out.flush();
            counters.scheduleAtFixedRate(new GatewayCounters(new MetricsScrape(metrics), out), 5, 5, TimeUnit.SECONDS);
            if (upstream != null) {
                summaries = SummaryLines.print(upstream, StoreConfigLoader.loadDemo().chainId(), out);
            }
            PlayCommand.of("tcp://localhost:" + mqttPort, URI.create("http://localhost:" + httpPort), shoppers, speed,
                            duration, seed)
                    .withOutages(outageEvery, outageLength)
                    .play(StoreConfigLoader.loadDemo(), out);
            return 0;
        } finally {
            played.countDown();
            counters.shutdownNow();
            if (summaries != null) {
                summaries.close();
            }
            stopQuietly(gateway);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnCtrlC);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is stopping the gateway
            }
        }
    }

    private static void stopQuietly(GatewayProcess gateway) {
        try {
            gateway.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code <repo>/device-simulators/target/floorgate-sim.jar} → {@code <repo>/gateway/target/floorgate-gateway.jar}. */
    private static Path defaultGatewayJar() throws Exception {
        Path simJar = Path.of(SimulatorMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path repo = simJar.toAbsolutePath().getParent().getParent().getParent();
        return repo.resolve("gateway").resolve("target").resolve("floorgate-gateway.jar");
    }

    /** The gateway's own view, from /metrics: what it accepted, refused, and who is connected. */
    private static final class GatewayCounters implements Runnable {
        private final MetricsScrape metrics;
        private final PrintWriter out;
        private double lastAccepted = -1;
        private long lastNanos;

        GatewayCounters(MetricsScrape metrics, PrintWriter out) {
            this.metrics = metrics;
            this.out = out;
        }

        @Override
        public void run() {
            metrics.fetch().ifPresentOrElse(text -> {
                double accepted = MetricsScrape.sum(text, "floorgate_ingest_accepted_total", Map.of());
                double rejected = MetricsScrape.sum(text, "floorgate_ingest_rejected_total", Map.of());
                double connected = MetricsScrape.sum(text, "floorgate_devices_connected", Map.of());
                long now = System.nanoTime();
                double rate = lastAccepted < 0 ? 0 : (accepted - lastAccepted) / ((now - lastNanos) / 1e9);
                lastAccepted = accepted;
                lastNanos = now;
                out.printf(Locale.ROOT, "gateway: accepted=%.0f (%.1f/s) rejected=%.0f connected=%.0f%n", accepted,
                        rate, rejected, connected);
                out.flush();
            }, () -> {
                out.println("gateway: /metrics not answering");
                out.flush();
            });
        }
    }
}
