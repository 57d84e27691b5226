package io.floorgate.gateway;

import static io.floorgate.gateway.testing.ConnectAttempt.ACCEPTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.floorgate.gateway.testing.ConnectAttempt;
import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Gateway.stop()} while a device is publishing: acknowledged means stored, and nobody new gets in. */
class GracefulStopTest {

    /** Paho's in-flight window in {@link TestDevice}: the most QoS 1 messages we can send without waiting. */
    private static final int IN_FLIGHT = 1000;
    /** Long enough that the first batches are committed while later ones are still on their way. */
    private static final String COMMIT_INTERVAL = "50ms";
    private static final long BOOT_ID = 3;

    @TempDir
    Path dataDir;

    private Vertx vertx;
    private Gateway gateway;
    private Future<Void> stopped;
    private String mqttUri;
    private String jdbcUrl;

    /** Not RunningGateway: these tests call {@link Gateway#stop()} themselves and watch it work. */
    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        gateway = RunningGateway.await(Gateway.start(vertx, TestStore.config(10_000, 10_000, COMMIT_INTERVAL), dataDir));
        mqttUri = "tcp://127.0.0.1:" + gateway.mqttPort();
        jdbcUrl = gateway.jdbcUrl();
    }

    @AfterEach
    void close() {
        if (stopped == null) {
            stopped = gateway.stop();
        }
        RunningGateway.await(stopped);
        // Not composed onto stopped: that would complete on a context whose event loop close() ends.
        RunningGateway.await(vertx.close());
    }

    @Test
    void stop_whenQos1EventsAreInFlight_thenEveryAcknowledgedEventIsInTheDatabase() throws Exception {
        Set<Long> acked = ConcurrentHashMap.newKeySet();
        int ackedWhenStopped;
        try (TestDevice nfc = TestDevice.connect(mqttUri, TestStore.NFC)) {
            publishWithoutWaiting(nfc, acked);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> !acked.isEmpty());
            ackedWhenStopped = acked.size();

            stopped = gateway.stop();
            RunningGateway.await(stopped);
        }

        Set<Long> stored = storedSeqs();
        assertThat(stored).as("acknowledged, so committed").containsAll(acked);
        assertThat(ackedWhenStopped).as("stop() began with acknowledgements outstanding").isLessThan(IN_FLIGHT);
        // Once stopping, the gateway takes no new message; the drain commits everything queued before it
        // and hands the PUBACKs to the event loops before the connections close.
        assertThat(acked.size()).as("in-flight events were committed and acknowledged during the stop")
                .isGreaterThan(ackedWhenStopped);
        assertThat(acked).as("every stored event was acknowledged before the connection closed")
                .containsExactlyInAnyOrderElementsOf(stored);
    }

    @Test
    void stop_whenDeviceConnectsWhileStopping_thenIsRefused() throws Exception {
        Set<Long> acked = ConcurrentHashMap.newKeySet();
        List<Integer> outcomes = new ArrayList<>();
        try (TestDevice nfc = TestDevice.connect(mqttUri, TestStore.NFC)) {
            publishWithoutWaiting(nfc, acked);

            // stop() refuses new connections before it returns; the rest of the stop is asynchronous.
            stopped = gateway.stop();
            do {
                outcomes.add(ConnectAttempt.outcome(mqttUri, TestStore.BLE, TestStore.secretOf(TestStore.BLE)));
            } while (!stopped.isComplete());
            RunningGateway.await(stopped);
        }

        // While draining, the listener answers CONNACK 3 (server unavailable); once closed, the TCP
        // connect itself fails. Either way nobody is let in.
        assertThat(outcomes).isNotEmpty().doesNotContain(ACCEPTED);
        assertThat(storedSeqs()).containsAll(acked);
    }

    /** Publishes a full window of QoS 1 taps, recording each seq whose PUBACK arrives. */
    private static void publishWithoutWaiting(TestDevice nfc, Set<Long> acked) throws MqttException {
        String topic = TestDevice.topic(TestStore.NFC, "events");
        for (long seq = 1; seq <= IN_FLIGHT; seq++) {
            long s = seq;
            nfc.client().publish(topic, Events.nfcTap(TestStore.NFC, BOOT_ID, seq).build().toByteArray(), 1, false,
                    null, new IMqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            acked.add(s);
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable cause) {
                            // not acknowledged: may or may not be stored
                        }
                    });
        }
    }

    /** Reopens the database the stopped gateway closed and reads which taps it holds. */
    private Set<Long> storedSeqs() throws Exception {
        Set<Long> seqs = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "floorgate", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq FROM device_event WHERE device_id = 'nfc-1' AND boot_id = "
                     + BOOT_ID)) {
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
            st.execute("SHUTDOWN");
        }
        return seqs;
    }
}
