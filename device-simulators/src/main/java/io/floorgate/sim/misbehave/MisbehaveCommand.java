package io.floorgate.sim.misbehave;

import io.floorgate.sim.StoreSource;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "misbehave", mixinStandardHelpOptions = true,
        description = "Send each kind of bad input and report what the gateway answered; exit 1 if any answer was wrong.")
public final class MisbehaveCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", description = "Store YAML; default: the demo store.")
    private Path config;

    @Option(names = "--gateway", defaultValue = "tcp://localhost:1883", description = "Default: ${DEFAULT-VALUE}.")
    private String gateway;

    @Option(names = "--metrics-url", defaultValue = "http://localhost:8080/metrics",
            description = "The gateway's /metrics, for the rejected counters. Default: ${DEFAULT-VALUE}.")
    private URI metricsUrl;

    @Override
    public Integer call() throws Exception {
        MisbehaveRun.Result result = MisbehaveRun.run(StoreSource.load(config), gateway, metricsUrl,
                spec.commandLine().getOut());
        long failed = result.cases().stream().filter(c -> !c.passed()).count();
        spec.commandLine().getOut().printf("%d of %d cases as expected; well-behaved device %s%n",
                result.cases().size() - failed, result.cases().size(), result.control().healthy() ? "unharmed" : "HARMED");
        return result.passed() ? 0 : 1;
    }
}
