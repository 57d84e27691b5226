package io.floorgate.sim.store;

import io.floorgate.config.Sessions;
import io.floorgate.config.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "gen-store", mixinStandardHelpOptions = true,
        description = "Write a store YAML with N devices and limits that never throttle, for benchmarks.")
public final class GenStoreCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--devices", required = true, description = "Devices in total.")
    private int devices;

    @Option(names = "--nfc-readers", description = "How many are NFC readers (QoS 1 load); default: a fifth.")
    private Integer nfcReaders;

    @Option(names = "--out", required = true, description = "File to write.")
    private Path out;

    @Option(names = "--store-id", description = "The store's id; default: the benchmark store's. Distinct ids let many"
            + " gateways share one upstream broker (bench/fleet.sh).")
    private String storeId;

    @Option(names = "--system-client-token", description = "The order system's bearer token"
            + " (sessions.systemClientToken, at least 24 characters), for benchmarks that mark orders ready;"
            + " default: none, so no order system can call.")
    private String systemClientToken;

    @Override
    public Integer call() throws Exception {
        SyntheticStore template = SyntheticStore.forBenchmark(devices);
        SyntheticStore store = new SyntheticStore(storeId == null ? template.storeId() : storeId, devices,
                nfcReaders == null ? template.nfcReaders() : nfcReaders, 0, template.limits(), template.seed());
        StoreConfig built = store.build();
        Sessions sessions = built.sessions();
        StoreConfig config = systemClientToken == null ? built : built.withSessions(new Sessions(
                sessions.inactivityTimeout(), sessions.rotationPeriod(), Optional.of(systemClientToken)));
        Files.writeString(out, StoreYamlWriter.toYaml(config));
        spec.commandLine().getOut().printf("wrote %s: store %s, %d devices (%d NFC readers)%n", out,
                config.storeId(), devices, store.nfcReaders());
        return 0;
    }
}
