package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.floorgate.gateway.testing.ChildGateway;
import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Acknowledged means committed", tested the hard way: the gateway runs as its own JVM and is
 * killed while a device's QoS 1 acknowledgements are still arriving; then the database is opened
 * directly and must hold every event whose PUBACK the device got. Without {@code --fsync}: a killed
 * process leaves its committed writes in the operating system's page cache (see {@code Database}).
 */
class KillNineDurabilityTest {

    private static final int EVENTS = 2000;
    /** Paho's in-flight window in {@link TestDevice}. */
    private static final int WINDOW = 1000;
    /** Kill once this many PUBACKs are in: well under way, with most still to come. */
    private static final int ACKS_BEFORE_STOP = 300;
    private static final long BOOT_ID = 9;
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(40);
    /** H2's MVStore file header: the first block, "H:2,block:…,clean:1,…" in ASCII. */
    private static final int H2_HEADER_BYTES = 4096;

    @TempDir
    Path dir;

    private Path configFile;
    private Path dataDir;
    private Path log;

    @BeforeEach
    void writeStore() throws Exception {
        configFile = dir.resolve("store.yaml");
        Files.writeString(configFile, TestStore.yaml(10_000, 10_000, "5ms"));
        dataDir = dir.resolve("data");
        log = dir.resolve("gateway.log");
    }

    @Test
    void kill9_whenAcknowledgementsAreStillArriving_thenEveryAcknowledgedEventIsInTheDatabase() throws Exception {
        try (ChildGateway child = ChildGateway.start(configFile, dataDir, log)) {
            showLogOnFailure(child, () -> {
                TapPublisher publisher;
                int ackedAtKill;
                try (TestDevice nfc = TestDevice.connect(child.mqttUri(), TestStore.NFC)) {
                    publisher = TapPublisher.start(nfc);
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                            .until(() -> publisher.acked.size() >= ACKS_BEFORE_STOP);

                    child.process().destroyForcibly(); // SIGKILL: no shutdown hook, no H2 close
                    ackedAtKill = publisher.acked.size();
                    child.awaitExit(EXIT_TIMEOUT);
                    publisher.awaitEnd();
                }

                assertThat(ackedAtKill).as("killed while acknowledgements were still arriving").isLessThan(EVENTS);
                assertThat(databaseHeader()).as("a killed gateway leaves its database open").doesNotContain(",clean:1,");
                assertThat(storedSeqs()).as("every acknowledged event survived the kill")
                        .containsAll(publisher.acked);
            });
        }
    }

    @Test
    void sigterm_whenAcknowledgementsAreStillArriving_thenGatewayExitsZeroWithItsDatabaseClosedAndEveryAcknowledgedEventStored()
            throws Exception {
        try (ChildGateway child = ChildGateway.start(configFile, dataDir, log)) {
            showLogOnFailure(child, () -> {
                TapPublisher publisher;
                int exitCode;
                try (TestDevice nfc = TestDevice.connect(child.mqttUri(), TestStore.NFC)) {
                    publisher = TapPublisher.start(nfc);
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                            .until(() -> publisher.acked.size() >= ACKS_BEFORE_STOP);

                    child.process().destroy(); // SIGTERM: the shutdown hook stops the gateway
                    exitCode = child.awaitExit(EXIT_TIMEOUT);
                    publisher.awaitEnd();
                }

                // not 143 (128 + SIGTERM), which the JVM reports unless the gateway ends the process itself
                assertThat(exitCode).as("exit code after a clean stop").isZero();
                assertThat(child.log()).as("the shutdown hook ran the graceful stop").contains("Floorgate stopped");
                assertThat(databaseHeader()).as("H2 marks a file it shut down cleanly").contains(",clean:1,");
                assertThat(storedSeqs()).containsAll(publisher.acked);
            });
        }
    }

    /**
     * The H2 file's header, read before anything opens the file again: a database shut down cleanly says so there,
     * one left open by a dead process does not (H2 then recovers it at the next open).
     */
    private String databaseHeader() throws IOException {
        byte[] file = Files.readAllBytes(dataDir.resolve("floorgate.mv.db"));
        return new String(file, 0, Math.min(file.length, H2_HEADER_BYTES), StandardCharsets.ISO_8859_1);
    }

    /** Opens the dead gateway's H2 file directly (H2 recovers it) and reads which taps it holds. */
    private Set<Long> storedSeqs() throws Exception {
        Set<Long> seqs = new HashSet<>();
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("floorgate");
        try (Connection c = DriverManager.getConnection(url, "floorgate", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq FROM device_event WHERE device_id = 'nfc-1' AND boot_id = "
                     + BOOT_ID)) {
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
        }
        return seqs;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void showLogOnFailure(ChildGateway child, Body body) throws Exception {
        try {
            body.run();
        } catch (Exception | AssertionError e) {
            System.err.println("---- child gateway output ----\n" + child.log() + "---- end of child gateway output ----");
            throw e;
        }
    }

    /**
     * Publishes NFC taps with seq 1..{@value #EVENTS} at QoS 1 from a thread of its own, never more than
     * {@value #WINDOW} unacknowledged, and records the seq of every PUBACK. Ends when all are sent or
     * the connection is gone.
     */
    private static final class TapPublisher implements IMqttActionListener {

        final Set<Long> acked = ConcurrentHashMap.newKeySet();
        private final Semaphore window = new Semaphore(WINDOW);
        private final TestDevice device;
        private final Thread thread;
        private volatile boolean lost;

        private TapPublisher(TestDevice device) {
            this.device = device;
            this.thread = new Thread(this::publishAll, "tap-publisher");
        }

        static TapPublisher start(TestDevice device) {
            TapPublisher publisher = new TapPublisher(device);
            publisher.thread.start();
            return publisher;
        }

        private void publishAll() {
            String topic = TestDevice.topic(TestStore.NFC, "events");
            try {
                for (long seq = 1; seq <= EVENTS; seq++) {
                    while (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                        if (lost || !device.isConnected()) {
                            return;
                        }
                    }
                    device.client().publish(topic, Events.nfcTap(TestStore.NFC, BOOT_ID, seq).build().toByteArray(),
                            1, false, seq, this);
                }
            } catch (MqttException e) {
                lost = true; // the gateway went away between the check and the publish
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onSuccess(IMqttToken token) {
            acked.add((Long) token.getUserContext());
            window.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
            lost = true;
            window.release();
        }

        void awaitEnd() throws InterruptedException {
            thread.join(Duration.ofSeconds(10).toMillis());
            assertThat(thread.isAlive()).as("publisher thread ended").isFalse();
        }
    }
}
