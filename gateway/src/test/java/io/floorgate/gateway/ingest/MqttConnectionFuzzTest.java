package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.FuzzedGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes a client may send to the gateway's MQTT port, written to a real socket of a gateway started on port 0:
 * the bytes go through Vert.x MQTT's Netty decoder into our own handling, {@link MqttIngestServer#onConnect} (client
 * id, credentials, the device's replay window) and {@link DeviceConnection} (topics, sizes, payload decoding and
 * validation, de-duplication, QoS 1 and 2 acknowledgement, subscriptions, the status topic, the close). An
 * {@code EmbeddedChannel} with Netty's {@code MqttDecoder} alone would fuzz Netty, not us. The seeds are whole
 * sessions of the test store's devices (CONNECT with their secrets, then publishes of valid payloads), so that
 * mutations start past authentication.
 *
 * <p>The contract, for every input: nothing our handlers do throws out to Vert.x; the first packet the gateway
 * sends, if any, is a CONNACK [MQTT-3.2.0-1]; the gateway closes the connection once the client has sent all it had;
 * and a well-behaved device on another connection still has its QoS 1 event acknowledged, so no input stops the
 * gateway or anyone else's events. In the normal build this replays the committed inputs under
 * {@code MqttConnectionFuzzTestInputs}; {@code gateway/bench/fuzz.sh} fuzzes it.
 */
class MqttConnectionFuzzTest {

    /** The well-behaved device; the seeds connect as the test store's other devices. */
    private static final String NEIGHBOUR = TestStore.BLE_2;
    private static final int CONNACK = 2;
    /**
     * A liveness bound, not a timing assertion: while fuzzing, Jazzer instruments each class as it is first loaded,
     * on whatever thread loads it, and that was seen to stall an event loop for over 20 s on a loaded machine.
     */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    private static FuzzedGateway gateway;
    private static TestDevice neighbour;
    private static final long NEIGHBOUR_BOOT = System.currentTimeMillis();
    private static long neighbourSeq;

    @BeforeAll
    static void start() throws MqttException {
        // Every input is a connection from 127.0.0.1: the per-address connection rate (limits.md) would refuse most
        // of a fuzzing run's inputs at the gate, before they reach the code under test.
        gateway = FuzzedGateway.start(TestStore.parse(TestStore.yaml("maxEventBytes: 1024, devicePublishRate: 10000,"
                + " devicePublishBurst: 10000, maxDevicesConnected: 100, connectionRatePerAddress: 100000,"
                + " connectionBurstPerAddress: 100000", "5ms", "")), dataDir);
        neighbour = TestDevice.connect(mqttUri(), NEIGHBOUR);
    }

    @AfterAll
    static void stop() throws MqttException {
        if (neighbour != null) {
            neighbour.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @FuzzTest
    void anyBytes_areAnsweredWithinTheProtocolAndNeverStopAnotherDevicesEvents(byte[] input) throws Exception {
        FuzzedGateway.allowLoopbackConnections();
        byte[] answer;
        try (Socket socket = new Socket("127.0.0.1", gateway.gateway().mqttPort())) {
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            socket.getOutputStream().write(input);
            socket.shutdownOutput();
            answer = readUntilClosed(socket.getInputStream());
        }
        if (answer.length > 0) {
            assertThat(answer[0] >>> 4 & 0x0F).as("type of the gateway's first packet").isEqualTo(CONNACK);
        }

        neighbourPublishes();
        gateway.rethrowEscaped();
    }

    /** Everything the gateway sends until it closes the connection; a connection it keeps open fails the input. */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                answer.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the gateway kept the connection open " + ANSWER_TIMEOUT
                    + " after the client had sent everything and shut its side", e);
        }
        return answer.toByteArray();
    }

    /**
     * The well-behaved device's QoS 1 event is acknowledged, i.e. committed. An input that connected as this device
     * took its connection over [MQTT-3.1.4-3], which is the protocol working; it then connects again.
     */
    private static void neighbourPublishes() throws MqttException {
        if (!neighbour.isConnected()) {
            neighbour.reconnect();
        }
        neighbour.publish("events", Events.sightings(NEIGHBOUR, NEIGHBOUR_BOOT, ++neighbourSeq).build(), 1)
                .waitForCompletion(ANSWER_TIMEOUT.toMillis());
    }

    private static String mqttUri() {
        return "tcp://127.0.0.1:" + gateway.gateway().mqttPort();
    }
}
