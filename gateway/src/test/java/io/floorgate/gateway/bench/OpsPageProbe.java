package io.floorgate.gateway.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import io.floorgate.gateway.testing.OpsBrowser;

/**
 * The ops page benchmark's browser side (bench/ops-page.sh starts the gateway and the load): logs in, keeps the
 * page open for a while, and prints the page's JS heap every sample (Chrome DevTools Protocol
 * {@code Performance.getMetrics} JSHeapUsedSize, as the page runs, and again after a forced garbage collection)
 * and, at the end, the latencies the page recorded:
 * <ul>
 *   <li>event -> page: the page's receipt of a device table update minus the gateway's receipt of that device's
 *   newest message (both clocks are this machine's), so it includes the stream's coalescing;</li>
 *   <li>send -> page: receipt minus the stamp the stream put on the message.</li>
 * </ul>
 * Usage: {@code OpsPageProbe <page url> <staff id> <password> <duration seconds> <sample seconds> [screenshot.png]};
 * the screenshot is of the page as the run ends.
 */
public final class OpsPageProbe {

    private static final int RING = 1024;

    private OpsPageProbe() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Duration duration = Duration.ofSeconds(Long.parseLong(args[3]));
        Duration sample = Duration.ofSeconds(Long.parseLong(args[4]));
        List<Double> event = new ArrayList<>();
        List<Double> send = new ArrayList<>();
        try (OpsBrowser browser = OpsBrowser.launchOrFail()) {
            Page page = browser.open(url);
            page.fill("#login-id", args[1]);
            page.fill("#login-password", args[2]);
            page.click("#login-form button[type=submit]");
            page.waitForSelector("#board:not([hidden])");
            page.waitForFunction("() => window.opsStats.messages > 0");
            CDPSession cdp = page.context().newCDPSession(page);
            cdp.send("Performance.enable");
            System.out.printf("%s page open at %s for %d s, heap sampled every %d s%n", Instant.now(), url,
                    duration.toSeconds(), sample.toSeconds());
            System.out.println("  time                      elapsed  heap used MB  after GC MB  messages  nodes");
            long start = System.nanoTime();
            long[] read = {0, 0};
            while (true) {
                long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
                drain(page, "event", "eventCount", read, 0, event);
                drain(page, "send", "sendCount", read, 1, send);
                double used = heap(cdp);
                cdp.send("HeapProfiler.collectGarbage");
                double afterGc = heap(cdp);
                Object messages = page.evaluate("() => window.opsStats.messages");
                Object nodes = page.evaluate("() => document.getElementsByTagName('*').length");
                System.out.printf(Locale.ROOT, "  %s %6d s %12.2f %12.2f %9s %6s%n", Instant.now(), elapsed, used,
                        afterGc, messages, nodes);
                if (elapsed >= duration.toSeconds()) {
                    break;
                }
                Thread.sleep(Math.min(sample.toMillis(), Math.max(1000, duration.toMillis() - elapsed * 1000)));
            }
            if (args.length > 5) {
                page.screenshot(new Page.ScreenshotOptions().setPath(Path.of(args[5])).setFullPage(true));
            }
        }
        System.out.printf("%s event -> page ms: %s%n", Instant.now(), percentiles(event));
        System.out.printf("%s send -> page ms:  %s%n", Instant.now(), percentiles(send));
    }

    /** Appends the ring's entries recorded since the last read; more than a ring's worth between reads is lost. */
    private static void drain(Page page, String ring, String count, long[] read, int slot, List<Double> into) {
        JsonElement got = new com.google.gson.Gson().toJsonTree(page.evaluate(
                "([ring, count]) => ({ n: window.opsStats[count], values: Array.from(window.opsStats[ring]) })",
                List.of(ring, count)));
        long n = got.getAsJsonObject().get("n").getAsLong();
        JsonArray values = got.getAsJsonObject().getAsJsonArray("values");
        for (long i = Math.max(read[slot], n - RING); i < n; i++) {
            into.add(values.get((int) (i % RING)).getAsDouble());
        }
        read[slot] = n;
    }

    private static double heap(CDPSession cdp) {
        JsonObject metrics = cdp.send("Performance.getMetrics");
        for (JsonElement m : metrics.getAsJsonArray("metrics")) {
            if (m.getAsJsonObject().get("name").getAsString().equals("JSHeapUsedSize")) {
                return m.getAsJsonObject().get("value").getAsDouble() / (1024 * 1024);
            }
        }
        return Double.NaN;
    }

    private static String percentiles(List<Double> values) {
        if (values.isEmpty()) {
            return "no samples";
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "n=%d p50=%.0f p95=%.0f p99=%.0f max=%.0f", sorted.length,
                at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double at(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
