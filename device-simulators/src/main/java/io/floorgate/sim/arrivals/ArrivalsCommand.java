package io.floorgate.sim.arrivals;

import io.floorgate.config.StoreConfig;
import io.floorgate.sim.DurationConverter;
import io.floorgate.sim.StoreSource;
import io.floorgate.sim.play.PickupCalls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "arrivals", mixinStandardHelpOptions = true,
        description = {"Time pickup arrivals: from a pickup-zone receiver's first sighting of a shopper to the"
                + " `arrival` message for that shopper's order on the staff stream (GET /api/v1/staff/stream).",
                "Checks in shoppers with location consent and a customer reference, marks an order READY for each"
                        + " as the order system, links it, then walks them in, one every --interval: every BLE receiver"
                        + " of the pickup point's zone hears the shopper's current id at -45 dBm, again every"
                        + " --resend-every until staff are told. Both instants are this process's clock."
                        + " Connects as those receivers: nothing else may be connected as them."})
public final class ArrivalsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--api", defaultValue = "http://localhost:8080", description = "Default: ${DEFAULT-VALUE}.")
    private URI api;

    @Option(names = "--broker", defaultValue = "tcp://localhost:1883", description = "Default: ${DEFAULT-VALUE}.")
    private URI broker;

    @Option(names = "--config", description = "Store YAML (pickup point, receivers, secrets); default: the demo store.")
    private Path config;

    @Option(names = "--order-system-token", defaultValue = PickupCalls.DEMO_SYSTEM_TOKEN,
            description = "The store's sessions.systemClientToken. Default: the demo store's.")
    private String orderSystemToken;

    @Option(names = "--pickup-point", description = "Pickup point id; default: the store's first.")
    private String pickupPoint;

    @Option(names = "--arrivals", defaultValue = "300", description = "Default: ${DEFAULT-VALUE}.")
    private int arrivals;

    @Option(names = "--interval", defaultValue = "50ms", converter = DurationConverter.class,
            description = "Between one arrival and the next. Default: ${DEFAULT-VALUE}.")
    private Duration interval;

    @Option(names = "--resend-every", defaultValue = "250ms", converter = DurationConverter.class,
            description = "How often the receivers report a shopper staff have not been told of yet."
                    + " Default: ${DEFAULT-VALUE}.")
    private Duration resendEvery;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "After the first sighting; a later notification counts as missed. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        StoreConfig store = StoreSource.load(config);
        ArrivalsResult result = ArrivalsRun.run(new ArrivalsOptions(api, broker, store, orderSystemToken, pickupPoint,
                arrivals, interval, resendEvery, timeout));
        spec.commandLine().getOut().println(json ? result.json().encode() : result.line());
        return result.timed() > 0 ? 0 : 1;
    }
}
