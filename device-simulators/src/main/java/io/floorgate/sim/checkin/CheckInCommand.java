package io.floorgate.sim.checkin;

import io.floorgate.config.StoreConfig;
import io.floorgate.sim.StoreSource;
import io.floorgate.sim.play.AppCheckIns;
import io.floorgate.sim.play.AppSession;
import io.floorgate.sim.play.PlayStats;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "checkin", mixinStandardHelpOptions = true,
        description = "Check in many shoppers with location consent and write their session keys to a file,"
                + " for load --sightings-from-sessions. The sessions stay open until they expire.")
public final class CheckInCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--api", defaultValue = "http://localhost:8080", description = "Default: ${DEFAULT-VALUE}.")
    private URI api;

    @Option(names = "--config", description = "Store YAML (for its id); default: the demo store.")
    private Path config;

    @Option(names = "--shoppers", defaultValue = "5000", description = "Default: ${DEFAULT-VALUE}.")
    private int shoppers;

    @Option(names = "--concurrency", defaultValue = "64", description = "Check-ins in flight. Default: ${DEFAULT-VALUE}.")
    private int concurrency;

    @Option(names = "--out", required = true, description = "Session key file to write.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        StoreConfig store = StoreSource.load(config);
        AppCheckIns app = new AppCheckIns(api, store.storeId(), new PlayStats());
        Semaphore inFlight = new Semaphore(concurrency);
        Queue<SessionKey> keys = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < shoppers; i++) {
            inFlight.acquire();
            app.checkIn(String.format("bench-%06d", i), true).whenComplete((AppSession s, Throwable failure) -> {
                if (failure == null) {
                    keys.add(new SessionKey(s.sessionId(), s.key(), s.rotationPeriod()));
                } else {
                    failed.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        double seconds = (System.nanoTime() - start) / 1e9;
        SessionKeyFile.write(out, List.copyOf(keys));
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "checked in %d shoppers in %.1f s (%.0f/s), %d failed; keys in %s%n", keys.size(),
                seconds, keys.size() / seconds, failed.get(), out);
        w.flush();
        return failed.get() == 0 ? 0 : 1;
    }
}
