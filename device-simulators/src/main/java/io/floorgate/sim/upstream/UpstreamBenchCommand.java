package io.floorgate.sim.upstream;

import io.floorgate.sim.DurationConverter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The pieces of bench/upstream-drain.sh: fill a stopped gateway's outbox, publish bare, count receipts. */
@Command(name = "upstream-bench", mixinStandardHelpOptions = true,
        description = "Upstream drain benchmark parts (device-simulators/bench/upstream-drain.sh runs them).",
        subcommands = {UpstreamBenchCommand.Fill.class, UpstreamBenchCommand.Publish.class,
                UpstreamBenchCommand.Receive.class})
public final class UpstreamBenchCommand {

    private static final String DEFAULT_BODY_BYTES = "200";

    @Command(name = "fill", mixinStandardHelpOptions = true,
            description = "Insert N summaries into a stopped gateway's upstream_outbox (JDBC) and print the H2 file's"
                    + " bytes per message.")
    static final class Fill implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--data-dir", required = true, description = "The gateway's --data-dir; the gateway stopped.")
        private Path dataDir;

        @Option(names = "--messages", defaultValue = "1000000", description = "Default: ${DEFAULT-VALUE}.")
        private long messages;

        @Option(names = "--body-bytes", defaultValue = DEFAULT_BODY_BYTES, description = "Default: ${DEFAULT-VALUE}.")
        private int bodyBytes;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().println(OutboxFill.fill(dataDir, messages, bodyBytes).line());
            return 0;
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish N envelopes of the same size as the gateway's with a bare Paho QoS 1 client"
                    + " (MQTT 3.1.1) and an in-flight window; print acknowledged messages/s.")
    static final class Publish implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--broker", required = true)
        private URI broker;

        @Option(names = "--chain", required = true)
        private String chain;

        @Option(names = "--store", required = true)
        private String store;

        @Option(names = "--messages", defaultValue = "1000000", description = "Default: ${DEFAULT-VALUE}.")
        private long messages;

        @Option(names = "--body-bytes", defaultValue = DEFAULT_BODY_BYTES, description = "Default: ${DEFAULT-VALUE}.")
        private int bodyBytes;

        @Option(names = "--inflight", defaultValue = "256", description = "Default: ${DEFAULT-VALUE}.")
        private int inflight;

        @Option(names = "--timeout", defaultValue = "10m", converter = DurationConverter.class,
                description = "Default: ${DEFAULT-VALUE}.")
        private Duration timeout;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().println(BarePublisher.publish(broker, chain, store, messages, bodyBytes,
                    inflight, timeout).line());
            return 0;
        }
    }

    @Command(name = "receive", mixinStandardHelpOptions = true,
            description = "Subscribe to a chain (clean session), print 'ready' once subscribed, then wait for N"
                    + " distinct messages and print received messages/s from the first to the last.")
    static final class Receive implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--broker", required = true)
        private URI broker;

        @Option(names = "--chain", required = true)
        private String chain;

        @Option(names = "--protocol", defaultValue = "mqtt3", converter = MqttProtocol.Converter.class,
                description = "Default: ${DEFAULT-VALUE}.")
        private MqttProtocol protocol;

        @Option(names = "--messages", defaultValue = "1000000", description = "Default: ${DEFAULT-VALUE}.")
        private long messages;

        @Option(names = "--timeout", defaultValue = "10m", converter = DurationConverter.class,
                description = "Default: ${DEFAULT-VALUE}.")
        private Duration timeout;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            UpstreamSubscriber.Options options = new UpstreamSubscriber.Options(broker, protocol,
                    "floorgate-bench-receiver-" + chain, true, UpstreamTopic.filters(chain));
            ReceiptCount.Result result = ReceiptCount.count(options, chain, messages, timeout, line -> {
                out.println("ready: " + line);
                out.flush();
            });
            out.println(result.line());
            return result.received() >= messages && result.gaps() == 0 ? 0 : 1;
        }
    }
}
