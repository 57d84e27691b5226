package io.floorgate.sim.load;

import io.floorgate.config.StoreConfig;
import io.floorgate.sim.DurationConverter;
import io.floorgate.sim.StoreSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Publish DeviceEvents as fast as the gateway (or any broker) accepts, and measure.")
public final class LoadCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--broker", defaultValue = "tcp://localhost:1883", description = "Default: ${DEFAULT-VALUE}.")
    private URI broker;

    @Option(names = "--config", description = "Store whose devices to connect as (ids, secrets, store id); default: the demo store.")
    private Path config;

    @Option(names = "--anonymous", description = "Connect without username and password (a plain broker).")
    private boolean anonymous;

    @Option(names = "--connections", defaultValue = "8",
            description = "0: every device of the kind (ble-receiver for QoS 0, nfc-reader for QoS 1)."
                    + " Default: ${DEFAULT-VALUE}.")
    private int connections;

    @Option(names = "--except-zone", description = "Connect as no device of this zone, e.g. to leave the pickup zone's"
            + " receivers to arrivals.")
    private String exceptZone;

    @Option(names = "--qos", defaultValue = "0", description = "0: beacon sightings; 1: NFC taps. Default: ${DEFAULT-VALUE}.")
    private int qos;

    @Option(names = "--payload-bytes", defaultValue = "100", description = "Default: ${DEFAULT-VALUE}.")
    private int payloadBytes;

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "Measured window. Default: ${DEFAULT-VALUE}.")
    private Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
            description = "Default: ${DEFAULT-VALUE}.")
    private Duration warmup;

    @Option(names = "--rate", defaultValue = "0", description = "Target msgs/s in total; 0 = as fast as possible.")
    private double rate;

    @Option(names = "--report-every", converter = DurationConverter.class, description = "Each connection publishes"
            + " once per this period, as a receiver reports on its timer (e.g. 1s), starting at a random phase;"
            + " instead of --rate.")
    private Duration reportEvery;

    @Option(names = "--inflight", defaultValue = "256", description = "QoS 1 window per connection. Default: ${DEFAULT-VALUE}.")
    private int inflight;

    @Option(names = "--threads", defaultValue = "1", description = "Generator event-loop threads. Default: ${DEFAULT-VALUE}.")
    private int threads;

    @Option(names = "--count-subscriber", description = "Count deliveries to a subscriber of store/# (pass-through broker).")
    private boolean countSubscriber;

    @Option(names = "--count-metrics", description = "Count floorgate_ingest_accepted_total from this /metrics URL.")
    private URI countMetrics;

    @Option(names = "--sightings-from-sessions", description = "QoS 0: each batch carries the current advertised ids"
            + " of sessions in this file (written by checkin), and the count is sightings located"
            + " (floorgate_location_sightings_total{resolved=\"true\"}) from --count-metrics.")
    private Path sightingsFromSessions;

    @Option(names = "--sightings-per-batch", defaultValue = "200",
            description = "With --sightings-from-sessions: shoppers heard per batch. Default: ${DEFAULT-VALUE}.")
    private int sightingsPerBatch;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        StoreConfig store = StoreSource.load(config);
        LoadResult result = LoadRun.run(new LoadOptions(broker, store, anonymous, connections, qos, payloadBytes,
                warmup, duration, rate, inflight, threads, countSubscriber, countMetrics, sightingsFromSessions,
                sightingsPerBatch, exceptZone, reportEvery));
        spec.commandLine().getOut().println(json ? result.json().encode() : result.line());
        return result.disconnected() == 0 ? 0 : 1;
    }
}
