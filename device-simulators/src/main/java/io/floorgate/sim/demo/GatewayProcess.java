package io.floorgate.sim.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.floorgate.sim.GatewayDatabase;

/** The gateway jar run as a child process, with its output in a log file beside its data. */
final class GatewayProcess implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(250);
    /** As README recommends for a store: short young collections keep QoS 1 acknowledgements prompt. */
    private static final String GC_PAUSE_GOAL = "-XX:MaxGCPauseMillis=10";

    /**
     * The gateway runs in a session of its own where the system has setsid (util-linux): a terminal's Ctrl-C
     * then reaches the simulator alone, which checks its shoppers out and only then stops the gateway. Without
     * it both get the signal, the gateway stops at once, and every last check-out fails. setsid replaces itself
     * with the gateway's JVM, so stopping the process stops the gateway.
     */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /**
     * The demo's database key, beside its data: a demo keeps working from one command, and its data is encrypted at
     * rest like a store's. A store keeps its key elsewhere (docs/encryption.md).
     */
    static final String DEMO_KEY_FILE = "demo-db.key";

    private final Process process;
    private final Path log;
    private final URI readyUrl;
    private final String atRest;

    private GatewayProcess(Process process, Path log, URI readyUrl, String atRest) {
        this.process = process;
        this.log = log;
        this.readyUrl = readyUrl;
        this.atRest = atRest;
    }

    /** Starts the jar; fails at once, saying which, when a port is already taken. */
    static GatewayProcess start(Path jar, Optional<Path> config, Path dataDir, int mqttPort, int httpPort)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("gateway jar not found at " + jar + ": build first (mvn -DskipTests package)"
                    + " or pass --gateway-jar");
        }
        requireFree(mqttPort, "MQTT");
        requireFree(httpPort, "HTTP");
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("gateway.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.addAll(List.of(java, GC_PAUSE_GOAL, "-jar", jar.toString(), "--data-dir", dataDir.toString(),
                "--mqtt-port", Integer.toString(mqttPort), "--http-port", Integer.toString(httpPort)));
        config.ifPresent(file -> command.addAll(List.of("--config", file.toString())));
        Path key = dataDir.resolve(DEMO_KEY_FILE);
        String atRest;
        boolean hasKey = Files.exists(key);
        if (!hasKey && Files.exists(GatewayDatabase.file(dataDir))) {
            // A demo database from before encryption at rest: it plays on as it is rather than being refused.
            command.add("--unencrypted");
            atRest = "in clear (made before encryption at rest; delete " + dataDir + " to start encrypted)";
        } else {
            if (!hasKey) {
                newKey(java, jar, key);
            }
            command.addAll(List.of("--db-key-file", key.toString()));
            atRest = "encrypted at rest, the demo's key in " + key;
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new GatewayProcess(process, log, URI.create("http://localhost:" + httpPort + "/health/ready"), atRest);
    }

    /** The gateway's own {@code new-key}: the key file is created readable by its owner only. */
    private static void newKey(String java, Path jar, Path key) throws IOException {
        Process newKey = new ProcessBuilder(java, "-jar", jar.toString(), "new-key", "--out", key.toString())
                .redirectErrorStream(true).start();
        try {
            String output = new String(newKey.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // The output is read to its end, so the command has finished by now: waitFor only fetches its status.
            if (newKey.waitFor() != 0) {
                throw new IllegalStateException("the gateway could not make the demo's database key: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the demo's database key", e);
        }
    }

    /** How the demo's data is kept at rest, for the demo's banner. */
    String atRest() {
        return atRest;
    }

    private static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new IllegalStateException(what + " port " + port + " is already in use: stop whatever listens there"
                    + " or choose another port (--" + what.toLowerCase() + "-port)");
        }
    }

    /** Waits for /health/ready to answer 200; fails if the process dies or the timeout passes. */
    void awaitReady() throws InterruptedException, IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with code " + process.exitValue() + "; see " + log
                        + lastLine());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(readyUrl).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("the gateway was not ready within " + READY_TIMEOUT.toSeconds() + " s; see " + log);
    }

    /** The log's last line (a refused start says why there), or nothing. */
    private String lastLine() {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "";
        }
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL if it has not stopped within the grace period. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
