package io.floorgate.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the gateway's Prometheus text: sums the samples of one metric whose labels include the
 * given ones. Enough for the simulator's before/after deltas; not a general parser.
 */
public final class MetricsScrape {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final URI url;

    public MetricsScrape(URI url) {
        this.url = url;
    }

    /** The page's text, or empty when the gateway cannot be reached. */
    public java.util.Optional<String> fetch() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? java.util.Optional.of(response.body()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** Sum of {@code metric}'s samples carrying all of {@code labels}; empty when unreachable. */
    public OptionalDouble sum(String metric, Map<String, String> labels) {
        return fetch().map(text -> OptionalDouble.of(sum(text, metric, labels))).orElse(OptionalDouble.empty());
    }

    public static double sum(String text, String metric, Map<String, String> labels) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.find() || !m.group(1).equals(metric)) {
                continue;
            }
            Map<String, String> found = new java.util.HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    found.put(l.group(1), l.group(2));
                }
            }
            if (labels.entrySet().stream().allMatch(e -> e.getValue().equals(found.get(e.getKey())))) {
                total += Double.parseDouble(m.group(4));
            }
        }
        return total;
    }
}
