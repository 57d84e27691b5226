package io.floorgate.sim.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.floorgate.config.StoreConfigLoader;

/**
 * The shipped demo store with an uplink: its YAML as shipped, with the {@code upstream} line pointing at a broker,
 * a short summary window so that a summary goes up every few seconds of the demo, and a published demo hash key.
 */
final class DemoStoreFile {

    /** Published with the source code, like the demo's device secrets: it protects nothing. */
    static final String HASH_KEY = "demo-only-upstream-hash-key-2026";
    /** A summary every 15 s of wall-clock time: the demo shows them go up without waiting a minute each. */
    static final String SUMMARY_WINDOW = "15s";

    private static final Pattern UPSTREAM_LINE = Pattern.compile("(?m)^upstream:.*$");

    private DemoStoreFile() {
    }

    /** Writes the demo store with an uplink to {@code broker} into {@code dir}; the gateway validates it at start. */
    static Path withUpstream(URI broker, Path dir) throws IOException {
        String shipped;
        try (InputStream in = StoreConfigLoader.class.getClassLoader()
                .getResourceAsStream(StoreConfigLoader.DEMO_RESOURCE)) {
            if (in == null) {
                throw new IOException("the demo store " + StoreConfigLoader.DEMO_RESOURCE + " is missing from the jar");
            }
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher line = UPSTREAM_LINE.matcher(shipped);
        if (!line.find()) {
            throw new IOException("the demo store has no upstream line to point at " + broker);
        }
        String upstream = "upstream: { brokerUri: \"" + broker + "\", hashKey: " + HASH_KEY + ", summaryWindow: "
                + SUMMARY_WINDOW + " }";
        Files.createDirectories(dir);
        Path file = dir.resolve("demo-store-with-upstream.yaml");
        Files.writeString(file, line.replaceFirst(Matcher.quoteReplacement(upstream)), StandardCharsets.UTF_8);
        return file;
    }
}
