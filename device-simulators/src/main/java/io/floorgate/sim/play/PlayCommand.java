package io.floorgate.sim.play;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.StoreConfig;
import io.floorgate.sim.DurationConverter;
import io.floorgate.sim.StoreSource;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "play", mixinStandardHelpOptions = true,
        description = "Connect every device of a store and play shoppers walking through it.")
public final class PlayCommand implements Callable<Integer> {

    public static final double DEFAULT_LOCATION_CONSENT_SHARE = 0.9;
    /** The gateway's default HTTP port (README). */
    public static final int DEFAULT_API_PORT = 8080;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", description = "Store YAML; default: the demo store.")
    Path config;

    @Option(names = "--gateway", defaultValue = "tcp://localhost:1883", description = "Default: ${DEFAULT-VALUE}.")
    String gateway;

    @Option(names = "--shoppers", defaultValue = "40", description = "Shoppers in the store at once. Default: ${DEFAULT-VALUE}.")
    int shoppers;

    @Option(names = "--speed", defaultValue = "1", description = "Time acceleration. Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Simulated time to play, e.g. 10m; default: until Ctrl-C.")
    Duration duration;

    @Option(names = "--seed", defaultValue = "42", description = "Same seed, same run. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--api", description = "The gateway's app API where shoppers check in, http://host:port;"
            + " default: the gateway's host, port " + DEFAULT_API_PORT + ".")
    URI api;

    @Option(names = "--location-consent-share", defaultValue = "0.9",
            description = "Share of shoppers who let the store locate them. Default: ${DEFAULT-VALUE}.")
    double locationConsentShare;

    @Option(names = "--pickup-share", defaultValue = "0.2",
            description = "Share of shoppers who come to collect an online order. Default: ${DEFAULT-VALUE}.")
    double pickupShare;

    @Option(names = "--order-system-token", defaultValue = PickupCalls.DEMO_SYSTEM_TOKEN,
            description = "The store's sessions.systemClientToken, with which the simulated order system marks"
                    + " orders ready. Default: the demo store's.")
    String orderSystemToken;

    @Option(names = "--truth", description = "Write ground truth CSV (time, shopper, zone, x, y) here.")
    Path truth;

    @Option(names = "--outage-every", converter = DurationConverter.class,
            description = "Simulated time between two receiver outages (a receiver drops off the network without"
                    + " DISCONNECT, then reconnects), e.g. 5m; default: none.")
    Duration outageEvery;

    @Option(names = "--outage-length", converter = DurationConverter.class, defaultValue = "1m",
            description = "Simulated length of one outage. Default: ${DEFAULT-VALUE}.")
    Duration outageLength;

    /** A play run configured in code, for demo: the demo store, no truth file. */
    public static PlayCommand of(String gateway, URI api, int shoppers, double speed, Duration duration, long seed) {
        PlayCommand play = new PlayCommand();
        play.gateway = gateway;
        play.api = api;
        play.locationConsentShare = DEFAULT_LOCATION_CONSENT_SHARE;
        play.shoppers = shoppers;
        play.speed = speed;
        play.duration = duration;
        play.seed = seed;
        return play;
    }

    /** Plays receiver outages every {@code every} of simulated time, each {@code length} long; zero: none. */
    public PlayCommand withOutages(Duration every, Duration length) {
        outageEvery = every;
        outageLength = length;
        return this;
    }

    private Optional<Outages> outages(StoreConfig store) {
        if (outageEvery == null || outageEvery.isZero()) {
            return Optional.empty();
        }
        return Optional.of(new Outages(outageEvery, outageLength, store.devices().stream()
                .filter(d -> d.kind() == DeviceKind.BLE_RECEIVER).map(Device::id).toList()));
    }

    /** tcp://host:1883 → http://host:8080: the gateway serves MQTT and HTTP on one host. */
    public static URI apiBeside(String gatewayUri) {
        return URI.create("http://" + URI.create(gatewayUri).getHost() + ":" + DEFAULT_API_PORT);
    }

    @Override
    public Integer call() throws Exception {
        PlayResult result = play(StoreSource.load(config), spec.commandLine().getOut());
        return result.errors() == 0 && result.disconnected() == 0 ? 0 : 1;
    }

    /** Plays with this command's options, stopping early on Ctrl-C; used by demo too. */
    public PlayResult play(StoreConfig store, PrintWriter out) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "play-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        TruthCsv csv = truth == null ? null : new TruthCsv(truth);
        Consumer<TruthRow> sink = csv == null ? row -> { } : csv;
        try {
            PlayOptions options = new PlayOptions(store, gateway, shoppers, speed, duration, seed,
                    System.currentTimeMillis(), sink, Optional.of(api != null ? api : apiBeside(gateway)),
                    locationConsentShare, pickupShare, orderSystemToken);
            PlayResult result = new StorePlayer(options, out, outages(store)).run(stop::get);
            out.printf("played %ds simulated: %d shoppers (%d checked in), sent qos0=%d qos1=%d, acked=%d, errors=%d,"
                            + " disconnected=%d, api-errors=%d%n",
                    result.simulatedMs() / 1000, result.shoppers(), result.checkedIn(), result.sentQos0(),
                    result.sentQos1(), result.acked(), result.errors(), result.disconnected(), result.apiErrors());
            out.flush();
            return result;
        } finally {
            if (csv != null) {
                csv.close();
            }
            finished.countDown();
            if (!stop.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }
}
