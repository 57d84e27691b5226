package io.floorgate.sim.soak;

import io.floorgate.sim.DurationConverter;
import io.floorgate.sim.StoreSource;
import io.floorgate.sim.play.PickupCalls;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "soak-load", mixinStandardHelpOptions = true,
        description = "Mixed load for a crash soak (QoS 1 taps and kiosk feedback, check-ins, pickups), recording"
                + " every acknowledged write to a journal that soak-check compares with the database. Runs until"
                + " SIGTERM or --duration; devices reconnect and pickup steps are retried while the gateway is away.")
public final class SoakLoadCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", description = "Store YAML; default: the demo store.")
    private Path config;

    @Option(names = "--gateway", defaultValue = "tcp://localhost:1883", description = "Default: ${DEFAULT-VALUE}.")
    private String gateway;

    @Option(names = "--api", defaultValue = "http://localhost:8080", description = "Default: ${DEFAULT-VALUE}.")
    private URI api;

    @Option(names = "--journal", required = true, description = "Where to append the acknowledged writes.")
    private Path journal;

    @Option(names = "--events-per-s", defaultValue = "100", description = "QoS 1 device events. Default: ${DEFAULT-VALUE}.")
    private double events;

    @Option(names = "--check-ins-per-s", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
    private double checkIns;

    @Option(names = "--pickups-per-s", defaultValue = "1", description = "Pickups started. Default: ${DEFAULT-VALUE}.")
    private double pickups;

    @Option(names = "--order-system-token", defaultValue = PickupCalls.DEMO_SYSTEM_TOKEN,
            description = "The store's sessions.systemClientToken. Default: the demo store's.")
    private String orderSystemToken;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--report-every", defaultValue = "5s", converter = DurationConverter.class,
            description = "Default: ${DEFAULT-VALUE}.")
    private Duration reportEvery;

    @Option(names = "--duration", converter = DurationConverter.class, description = "Default: until SIGTERM.")
    private Duration duration;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "soak-load-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (SoakJournal written = new SoakJournal(journal)) {
            SoakLoad load = new SoakLoad(StoreSource.load(config), gateway, api, orderSystemToken, written,
                    new SoakLoad.Rates(events, checkIns, pickups), seed);
            try {
                load.start();
                out.println("soak load started against " + gateway + " and " + api + "; journal " + journal);
                out.flush();
                long endNanos = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
                while (!stop.await(reportEvery.toMillis(), TimeUnit.MILLISECONDS) && System.nanoTime() < endNanos) {
                    out.println(load.line());
                    out.flush();
                }
            } finally {
                // acknowledgements arriving while the devices disconnect are journaled too
                load.close();
            }
            out.println("final: " + load.line());
            out.flush();
        } finally {
            stopped.countDown();
        }
        return 0;
    }
}
