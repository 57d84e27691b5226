package io.floorgate.sim.misbehave;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.StoreConfig;
import io.floorgate.sim.MetricsScrape;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Plays every case in turn while the well-behaved device publishes, and checks each answer. */
public final class MisbehaveRun {

    /** How long a counter gets to move after its case: the gateway counts before it acknowledges, but not always. */
    private static final long METRIC_SETTLE_MS = 2_000;
    private static final long METRIC_POLL_MS = 100;

    private MisbehaveRun() {
    }

    /** The outcome of a whole run. */
    public record Result(List<CaseResult> cases, ControlReport control) {

        public boolean passed() {
            return control.healthy() && cases.stream().allMatch(CaseResult::passed);
        }

        public String controlLine() {
            return control.line();
        }
    }

    public static Result run(StoreConfig store, String gatewayUri, URI metricsUrl, PrintWriter out) throws Exception {
        Probe probe = new Probe(store, gatewayUri);
        Device control = store.devices().stream().filter(d -> d.kind() == DeviceKind.NFC_READER).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("misbehave needs NFC readers in the store"));
        MetricsScrape metrics = new MetricsScrape(metricsUrl);
        List<CaseResult> results = new ArrayList<>();
        try (WellBehavedDevice wellBehaved = new WellBehavedDevice(probe, control)) {
            wellBehaved.start();
            for (MisbehaveCase c : MisbehaveCases.all(store, control)) {
                OptionalDouble before = read(metrics, c);
                Answer answer = c.play().run(probe);
                OptionalDouble delta = settle(metrics, c, before);
                boolean metricOk = delta.isEmpty() || (c.expectedDelta() == 0
                        ? delta.getAsDouble() == 0 : delta.getAsDouble() >= c.expectedDelta());
                CaseResult result = new CaseResult(c, answer, delta, c.expected().contains(answer.kind()) && metricOk);
                results.add(result);
                out.println(result.line());
                out.flush();
            }
            ControlReport report = wellBehaved.stop();
            out.println(report.line());
            out.flush();
            return new Result(results, report);
        }
    }

    private static OptionalDouble read(MetricsScrape metrics, MisbehaveCase c) {
        if (c.metric() == null) {
            return OptionalDouble.empty();
        }
        return metrics.sum(c.metric(), c.reason() == null ? Map.of() : Map.of("reason", c.reason()));
    }

    private static OptionalDouble settle(MetricsScrape metrics, MisbehaveCase c, OptionalDouble before)
            throws InterruptedException {
        if (before.isEmpty()) {
            return OptionalDouble.empty();
        }
        long deadline = System.currentTimeMillis() + (c.expectedDelta() == 0 ? METRIC_SETTLE_MS / 4 : METRIC_SETTLE_MS);
        double delta = 0;
        while (System.currentTimeMillis() < deadline) {
            OptionalDouble now = read(metrics, c);
            if (now.isEmpty()) {
                return OptionalDouble.empty();
            }
            delta = now.getAsDouble() - before.getAsDouble();
            if (c.expectedDelta() > 0 && delta >= c.expectedDelta()) {
                break;
            }
            Thread.sleep(METRIC_POLL_MS);
        }
        return OptionalDouble.of(delta);
    }
}
