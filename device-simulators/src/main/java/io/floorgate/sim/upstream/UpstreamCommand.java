package io.floorgate.sim.upstream;

import io.floorgate.sim.DurationConverter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "upstream", mixinStandardHelpOptions = true,
        description = {"Consume a chain's upstream: subscribe at QoS 1 to every store's summaries, events and status,"
                + " drop duplicates by (store_id, seq), and print a table per store: summaries, events, duplicates,"
                + " gaps (seqs missing between the lowest and highest received; 'unexpl.' counts those no"
                + " OutboxBoundReached event reported dropped), last window end.",
                "Exit status with --duration: 0 when no store has a gap (and at least --expect-stores stores sent"
                        + " something), 1 otherwise."})
public final class UpstreamCommand implements Callable<Integer> {

    /** What a shell reports for a process ended by SIGINT; the JVM exits with the signal's status anyway. */
    private static final int INTERRUPTED = 130;

    @Spec
    private CommandSpec spec;

    @Option(names = "--broker", required = true, description = "The chain's broker, e.g. tcp://broker.example:1883.")
    private URI broker;

    @Option(names = "--chain", required = true, description = "The chain id: topics retail/{chain}/stores/+/...")
    private String chain;

    @Option(names = "--protocol", defaultValue = "mqtt5", converter = MqttProtocol.Converter.class,
            description = "mqtt5 or mqtt3. Default: ${DEFAULT-VALUE}.")
    private MqttProtocol protocol;

    @Option(names = "--client-id", description = "Default: floorgate-consumer-{chain}. With a persistent session, one"
            + " consumer per id.")
    private String clientId;

    @Option(names = "--clean-session", description = "Start a clean session, and let the broker forget it on"
            + " disconnect. Default: a persistent session, so the broker queues what arrives while the consumer is"
            + " away.")
    private boolean cleanSession;

    @Option(names = "--json-out", description = "Write every received message as one JSON line to this file.")
    private Path jsonOut;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 5m) and exit with the status above; default: until interrupted.")
    private Duration duration;

    @Option(names = "--report-every", defaultValue = "5s", converter = DurationConverter.class,
            description = "Print the table this often. Default: ${DEFAULT-VALUE}.")
    private Duration reportEvery;

    @Option(names = "--expect-stores", defaultValue = "0",
            description = "With --duration: fail unless at least this many stores sent something. Default: ${DEFAULT-VALUE}.")
    private int expectStores;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Optional<JsonLines> json = jsonOut == null ? Optional.empty() : Optional.of(JsonLines.create(jsonOut));
        UpstreamConsumer consumer = new UpstreamConsumer(chain, json, Clock.systemUTC());
        UpstreamSubscriber.Options options = new UpstreamSubscriber.Options(broker, protocol,
                clientId != null ? clientId : "floorgate-consumer-" + chain, cleanSession, UpstreamTopic.filters(chain));
        // Ctrl-C (or SIGTERM): the hook stops the loop and lets the JVM exit only once the final table is printed
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch reported = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            interrupted.countDown();
            awaitQuietly(reported);
        }, "upstream-consumer-stop");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try (UpstreamSubscriber subscriber = UpstreamSubscriber.connect(options, consumer)) {
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            long wait;
            while ((wait = Math.min(reportEvery.toNanos(), deadline - System.nanoTime())) > 0
                    && !interrupted.await(wait, TimeUnit.NANOSECONDS)) {
                out.print(StoreTable.format(consumer.rows(), consumer.invalidCount()));
                out.println();
                out.flush();
            }
        } finally {
            if (json.isPresent()) {
                json.get().close();
            }
        }
        List<StoreRow> rows = consumer.rows();
        out.println("final:");
        out.print(StoreTable.format(rows, consumer.invalidCount()));
        out.flush();
        reported.countDown();
        if (interrupted.getCount() == 0) {
            return INTERRUPTED;
        }
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
        boolean complete = rows.size() >= expectStores && rows.stream().allMatch(r -> r.gaps() == 0);
        return complete ? 0 : 1;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(UpstreamSubscriber.CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
