package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.config.ReloadResult;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory whose disk fills: the gateway stays up, acknowledges nothing it cannot store, says why in
 * {@code /health/ready}, a metric and one log line, and commits again by itself once there is room, with every event
 * it acknowledged still there.
 *
 * <p>Two ways to fill the disk: a free-space floor set above the real free space (runs everywhere), and a really full
 * disk, a small tmpfs the test mounts (needs root; skipped with a message where the test cannot mount).
 */
class DiskFullTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long BOOT = 0xd15cL;
    private static final long MB = 1024 * 1024;
    /** Small enough to fill in a moment, large enough for H2's file and its first growth. */
    private static final String TMPFS_SIZE = "16m";
    private static final int FILLER_CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private RunningGateway gateway;
    private Path mountPoint;
    private final StderrLines log = new StderrLines();

    @AfterEach
    void tearDown() throws Exception {
        log.restore();
        if (gateway != null) {
            gateway.close();
        }
        if (mountPoint != null) {
            run("umount", mountPoint.toString());
        }
    }

    @Test
    void disk_whenFreeSpaceFallsBelowTheFloor_thenWritesAreRefusedAndSaidSoThenCommittedAgainWithoutARestart()
            throws Exception {
        Path configFile = dir.resolve("store.yaml");
        Files.writeString(configFile, storeYaml("64MB"));
        gateway = RunningGateway.start(new GatewaySettings(StoreConfigLoader.load(configFile), Optional.of(configFile),
                dir.resolve("data"), false));
        try (TestDevice nfc = TestDevice.connect(gateway.mqttUri(), TestStore.NFC)) {
            for (long seq = 1; seq <= 5; seq++) {
                nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, seq).build(), 1).waitForCompletion(10_000);
            }

            // The floor goes above what the disk has free: the same, for the gateway, as the disk filling up to it.
            long floorMb = Files.getFileStore(dir).getUsableSpace() / MB + 1024;
            rewrite(configFile, storeYaml(floorMb + "MB"));
            assertThat(RunningGateway.await(gateway.gateway().reloadConfig()).outcome())
                    .isEqualTo(ReloadResult.Outcome.APPLIED);

            await().atMost(WAIT).until(() -> gateway.get("/health/ready").statusCode() == 503);
            JsonObject ready = new JsonObject(gateway.get("/health/ready").body());
            assertThat(ready.getString("status")).isEqualTo("DOWN");
            assertThat(ready.getString("reason")).startsWith("disk full: the disk of ")
                    .contains("below storage.minFreeSpace (" + floorMb + ".0 MB)");
            assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);
            assertThat(gateway.metric("floorgate_store_available")).isZero();
            assertThat(gateway.metric("floorgate_store_disk_free_bytes")).isPositive();
            assertThat(gateway.metric("floorgate_store_disk_floor_bytes")).isEqualTo(floorMb * MB);

            HttpResponse<String> checkIn = new AppClient(gateway).post("/api/v1/sessions", "application/json",
                    AppClient.checkInBody(true));
            assertThat(checkIn.statusCode()).isEqualTo(503);
            assertThat(new JsonObject(checkIn.body()).getString("error")).isEqualTo("storage_unavailable");
            assertThat(new JsonObject(checkIn.body()).getString("message")).contains("disk full");

            IMqttDeliveryToken refused = nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, 6).build(), 1);
            // Not acknowledged: the connection is closed without a PUBACK, so the device sends it again later.
            assertThatThrownBy(() -> refused.waitForCompletion(WAIT.toMillis())).hasMessageContaining("lost");
        }
        assertThat(gateway.metric("floorgate_store_disk_refusals_total")).isGreaterThanOrEqualTo(2);
        assertThat(gateway.metric("floorgate_ingest_rejected_total", "reason", "store_failed")).isEqualTo(1);

        rewrite(configFile, storeYaml("64MB"));
        RunningGateway.await(gateway.gateway().reloadConfig());

        await().atMost(WAIT).until(() -> gateway.get("/health/ready").statusCode() == 200);
        assertThat(gateway.metric("floorgate_store_available")).isEqualTo(1);
        try (TestDevice nfc = TestDevice.connect(gateway.mqttUri(), TestStore.NFC)) {
            nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, 6).build(), 1).waitForCompletion(10_000);
        }
        assertThat(gateway.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'nfc-1'")).isEqualTo(6);
        assertThat(log.linesContaining("Committer: disk full")).as("one log line for the whole episode").hasSize(1);
        assertThat(log.linesContaining("writes are committed again")).hasSize(1);
    }

    @Test
    void disk_whenItIsReallyFull_thenWritesAreRefusedWithoutLosingAnAcknowledgedEventAndResumeOnceSpaceFrees()
            throws Exception {
        mountSmallDisk();
        Path dataDir = mountPoint.resolve("data");
        Path configFile = dir.resolve("store.yaml");
        // No floor: only the disk itself says no.
        Files.writeString(configFile, storeYaml("0B"));
        gateway = RunningGateway.start(new GatewaySettings(StoreConfigLoader.load(configFile), Optional.of(configFile),
                dataDir, false));
        long acknowledged = 0;
        try (TestDevice nfc = TestDevice.connect(gateway.mqttUri(), TestStore.NFC)) {
            for (long seq = 1; seq <= 20; seq++) {
                nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, seq).build(), 1).waitForCompletion(10_000);
                acknowledged++;
            }
            Path filler = fill(mountPoint.resolve("filler"));

            // Events until one is refused: H2 needs room for a new chunk at a commit.
            long seq = acknowledged;
            boolean refused = false;
            while (!refused && seq < 2_000) {
                seq++;
                IMqttDeliveryToken token = nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, seq).build(), 1);
                try {
                    token.waitForCompletion(WAIT.toMillis());
                    acknowledged = seq;
                } catch (Exception e) {
                    refused = true;
                }
            }
            assertThat(refused).as("a publish was refused on the full disk").isTrue();
            await().atMost(WAIT).until(() -> gateway.get("/health/ready").statusCode() == 503);
            assertThat(new JsonObject(gateway.get("/health/ready").body()).getString("reason")).startsWith("disk full");
            assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);

            Files.delete(filler);
        }

        await().atMost(WAIT).until(() -> gateway.get("/health/ready").statusCode() == 200);
        try (TestDevice nfc = TestDevice.connect(gateway.mqttUri(), TestStore.NFC)) {
            nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT + 1, 1).build(), 1).waitForCompletion(10_000);
        }
        String stored = "SELECT COUNT(*) FROM device_event WHERE device_id = 'nfc-1' AND boot_id = " + BOOT
                + " AND seq <= " + acknowledged;
        assertThat(gateway.count(stored)).as("every acknowledged event").isEqualTo(acknowledged);
        assertThat(gateway.count("SELECT COUNT(*) FROM device_event WHERE boot_id = " + (BOOT + 1))).isEqualTo(1);
        assertThat(log.linesContaining("Committer: disk full")).hasSize(1);

        // And the file opens again, with all of it.
        gateway.close();
        gateway = RunningGateway.start(new GatewaySettings(StoreConfigLoader.load(configFile), Optional.of(configFile),
                dataDir, false));
        assertThat(gateway.count(stored)).isEqualTo(acknowledged);
    }

    private void mountSmallDisk() throws Exception {
        Path target = Files.createDirectories(dir.resolve("small-disk"));
        String result = run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs", target.toString());
        Assumptions.assumeTrue(result.isEmpty(), () -> "Skipped: this test mounts a " + TMPFS_SIZE + " tmpfs as the"
                + " data directory's disk, which needs root (CAP_SYS_ADMIN); mount said: " + result);
        mountPoint = target;
    }

    /** Writes until the disk says no; the file is the space to free later. */
    private static Path fill(Path filler) throws IOException {
        byte[] chunk = new byte[FILLER_CHUNK];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
        return filler;
    }

    /** Runs a command; its output when it failed, empty when it succeeded. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        return done && p.exitValue() == 0 ? "" : (output.isEmpty() ? "exit " + (done ? p.exitValue() : "timeout")
                : output);
    }

    private static String storeYaml(String minFreeSpace) {
        return TestStore.yaml(10_000, 10_000, "5ms") + "storage: { minFreeSpace: " + minFreeSpace + " }\n";
    }

    /** Rewrites the file a second on from its last modification, so that the watcher sees a change too. */
    private static void rewrite(Path file, String yaml) throws IOException {
        FileTime last = Files.getLastModifiedTime(file);
        Files.writeString(file, yaml);
        Files.setLastModifiedTime(file, FileTime.fromMillis(last.toMillis() + 1000));
    }

    /** What the gateway logs (slf4j-simple writes to standard error), kept while the test runs. */
    private static final class StderrLines extends OutputStream {
        private final PrintStream original = System.err;
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        StderrLines() {
            System.setErr(new PrintStream(this, true, StandardCharsets.UTF_8));
        }

        @Override
        public synchronized void write(int b) {
            original.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            copy.write(b, off, len);
        }

        synchronized List<String> linesContaining(String text) {
            return Arrays.stream(copy.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> l.contains(text))
                    .toList();
        }

        void restore() {
            System.setErr(original);
        }
    }
}
