package io.floorgate.sim.score;

import io.floorgate.config.StoreConfig;
import io.floorgate.sim.DurationConverter;
import io.floorgate.sim.StoreSource;
import io.floorgate.sim.play.PlayCommand;
import io.floorgate.sim.play.PlayOptions;
import io.floorgate.sim.play.AppCheckIns;
import io.floorgate.sim.play.PickupCalls;
import io.floorgate.sim.play.PlayResult;
import io.floorgate.sim.play.StorePlayer;
import io.floorgate.sim.play.TruthRow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Play a store against a running gateway at real time, ask it once a second where every"
                + " checked-in shopper is, listen to the staff stream for pickup arrivals, and score both against"
                + " the ground truth.",
                "Always at speed 1: the gateway resolves advertised ids and smooths signals on its own wall clock,"
                        + " so a faster run would be judged on a different clock. Shorten it with --duration.",
                "Noise is the issue's fixed default: path-loss exponent 2.2, -59 dBm at 1 m, 5 dB shadowing,"
                        + " 15%% of advertisements missed, advertising every 250 ms, receivers reporting every second."})
public final class ScoreCommand implements Callable<Integer> {

    private static final double REAL_TIME = 1;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", description = "Store YAML; default: the demo store.")
    private Path config;

    @Option(names = "--gateway", defaultValue = "tcp://localhost:1883", description = "Default: ${DEFAULT-VALUE}.")
    private String gateway;

    @Option(names = "--api", description = "The gateway's app API, http://host:port; default: the gateway's host, port "
            + PlayCommand.DEFAULT_API_PORT + ".")
    private URI api;

    @Option(names = "--shoppers", defaultValue = "40", description = "Shoppers in the store at once. Default: ${DEFAULT-VALUE}.")
    private int shoppers;

    @Option(names = "--duration", defaultValue = "3m", converter = DurationConverter.class,
            description = "Real time to play. Default: ${DEFAULT-VALUE}.")
    private Duration duration;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--location-consent-share", defaultValue = "0.9",
            description = "Share of shoppers who let the store locate them. Default: ${DEFAULT-VALUE}.")
    private double locationConsentShare;

    @Option(names = "--pickup-share", defaultValue = "0.2",
            description = "Share of shoppers who come to collect an online order. Default: ${DEFAULT-VALUE}.")
    private double pickupShare;

    @Option(names = "--order-system-token", defaultValue = PickupCalls.DEMO_SYSTEM_TOKEN,
            description = "The store's sessions.systemClientToken, with which the simulated order system marks"
                    + " orders ready. Default: the demo store's.")
    private String orderSystemToken;

    @Option(names = "--json", description = "Print the score as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StoreConfig store = StoreSource.load(config);
        URI appApi = api != null ? api : PlayCommand.apiBeside(gateway);
        Queue<TruthRow> truth = new ConcurrentLinkedQueue<>();
        PlayOptions options = new PlayOptions(store, gateway, shoppers, REAL_TIME, duration, seed,
                System.currentTimeMillis(), truth::add, Optional.of(appApi), locationConsentShare, pickupShare,
                orderSystemToken);
        // with --json only the score goes to standard output
        PrintWriter progress = json ? new PrintWriter(new StringWriter()) : out;
        StorePlayer player = new StorePlayer(options, progress);
        AppCheckIns app = player.checkIns().orElseThrow();
        PlayResult played;
        List<LocationPoll> polls;
        Queue<ArrivalNotice> notices = new ConcurrentLinkedQueue<>();
        long endMs;
        try (StaffStream staff = StaffStream.open(appApi, orderSystemToken, notices::add);
             LocationPoller poller = new LocationPoller(appApi, app)) {
            poller.start();
            played = player.run(() -> false);
            polls = poller.polls();
            endMs = System.currentTimeMillis();
        }
        LocationScore score = LocationScorer.score(List.copyOf(truth), polls);
        ArrivalScore arrivals = ArrivalScorer.score(app.orders(), app.trueArrivals(), List.copyOf(notices), endMs);
        if (json) {
            out.println(score.json().put("arrivals", arrivals.json()).put("shoppers", played.shoppers())
                    .put("checkedIn", played.checkedIn()).put("apiErrors", played.apiErrors())
                    .put("seconds", played.simulatedMs() / 1000).encode());
        } else {
            out.printf("score of %s over %s at real time, seed %d: %d shoppers, %d checked in, %d API errors%n",
                    store.storeId(), DurationConverter.format(duration), seed, played.shoppers(), played.checkedIn(),
                    played.apiErrors());
            out.print(score.report());
            out.print(arrivals.report());
        }
        out.flush();
        return score.everyShopperWithoutConsentRefused() && played.apiErrors() == 0 ? 0 : 1;
    }
}
