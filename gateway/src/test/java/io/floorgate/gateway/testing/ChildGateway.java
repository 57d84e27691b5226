package io.floorgate.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * The gateway as its own JVM, started the way an operator starts it ({@code GatewayMain} with
 * {@code --config}, {@code --data-dir} and ports), so that a test can kill it like the operating
 * system would. Its output goes to a log file for the test to show when it fails. Its database is in clear
 * ({@code --unencrypted}), so that the test can read it afterwards.
 */
public final class ChildGateway implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** A cold JVM on a busy two-core machine: class loading, H2 migration, listeners. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Process process;
    private final Path log;
    private final int mqttPort;
    private final int httpPort;

    private ChildGateway(Process process, Path log, int mqttPort, int httpPort) {
        this.process = process;
        this.log = log;
        this.mqttPort = mqttPort;
        this.httpPort = httpPort;
    }

    /** Starts {@code GatewayMain} on free ports with this JVM's classpath and waits until it is ready. */
    public static ChildGateway start(Path configFile, Path dataDir, Path log) throws IOException {
        int mqttPort = freePort();
        int httpPort = freePort();
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new java.util.ArrayList<>();
        command.add(java);
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.floorgate.gateway.GatewayMain",
                "--config", configFile.toString(), "--data-dir", dataDir.toString(),
                "--mqtt-port", String.valueOf(mqttPort), "--http-port", String.valueOf(httpPort), "--unencrypted"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ChildGateway child = new ChildGateway(process, log, mqttPort, httpPort);
        try {
            child.awaitReady();
        } catch (RuntimeException | AssertionError e) {
            child.close();
            throw new IllegalStateException("Child gateway did not become ready; its output:\n" + child.log(), e);
        }
        return child;
    }

    /** A port that was free a moment ago: bound to 0, read, released for the child to take. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady() {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .failFast("child gateway exited", () -> !process.isAlive())
                .until(() -> HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    public String mqttUri() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    public Process process() {
        return process;
    }

    /** Waits for the process to end and returns its exit code; fails if it is still running after the timeout. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child gateway still running after " + timeout + "; its output:\n" + log());
        }
        return process.exitValue();
    }

    /** Everything the child wrote to stdout and stderr so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
