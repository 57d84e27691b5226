package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.RawMqtt;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import io.floorgate.gateway.testing.WellBehavedDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile MQTT clients, each written as raw bytes at the gateway's socket: each is refused or bounded, counted under
 * its reason in {@code floorgate_ingest_rejected_total}, while a well-behaved kiosk (real Paho) keeps publishing QoS 1
 * events beside it and keeps getting them acknowledged. The limits are small so that every test is quick.
 */
class HostileMqttClientTest {

    private static final String NFC = TestStore.NFC;
    private static final String UNKNOWN = "unknown";
    private static final String STORM_ADDRESS = "127.0.0.2";
    private static final String CAP_ADDRESS = "127.0.0.3";
    private static final int CONNECTION_BURST = 20;
    /** Paho's default, and what a raw client here asks for unless a test says otherwise. */
    private static final int KEEP_ALIVE_S = 60;

    @TempDir
    Path dataDir;

    private RunningGateway gw;
    private WellBehavedDevice kiosk;

    private static String limits(int maxDevices, int maxConnections, String connectTimeout) {
        return "maxEventBytes: 1024, devicePublishRate: 10000, devicePublishBurst: 10000, maxDevicesConnected: "
                + maxDevices + ", maxConnections: " + maxConnections + ", connectionRatePerAddress: 5,"
                + " connectionBurstPerAddress: " + CONNECTION_BURST + ", connectTimeout: " + connectTimeout
                + ", maxKeepAlive: 2s, devicePingRate: 1, devicePingBurst: 5, maxWriteBufferBytes: 4096";
    }

    private void start(String limitFields) throws Exception {
        gw = RunningGateway.start(TestStore.parse(TestStore.yaml(limitFields, "5ms", "")), dataDir);
        kiosk = WellBehavedDevice.start(gw);
    }

    private void start() throws Exception {
        start(limits(10, 50, "1s"));
    }

    @AfterEach
    void wellBehavedKioskKeptBeingAcknowledged(TestInfo test) throws Exception {
        try {
            kiosk.assertKeptBeingAcknowledged(test.getDisplayName());
        } finally {
            kiosk.close();
            gw.close();
        }
    }

    private double rejected(String reason, String device) {
        return gw.metric("floorgate_ingest_rejected_total", "device", device, "reason", reason);
    }

    private static byte[] ownTopic(String channel) {
        return TestDevice.topic(NFC, channel).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void connect_whenClientSendsNothing_thenClosedAtTheConnectTimeoutAndCounted() throws Exception {
        start();
        try (RawMqtt silent = RawMqtt.open(gw, "127.0.0.1")) {
            assertThat(silent.closedByGateway()).isTrue();
        }
        assertThat(rejected("connect_timeout", UNKNOWN)).isEqualTo(1);
    }

    @Test
    void connect_whenConnectTricklesInAByteAtATime_thenClosedAtTheDeadlineNotWhenItIsWhole() throws Exception {
        start();
        byte[] connect = RawMqtt.connect(NFC, NFC, TestStore.secretOf(NFC), KEEP_ALIVE_S, null);
        int sent = 0;
        try (RawMqtt slow = RawMqtt.open(gw, "127.0.0.1")) {
            for (byte b : connect) {
                slow.send(new byte[] {b});
                sent++;
                Thread.sleep(200); // the hostile client's pace: each byte restarts an idle timer, not a deadline
            }
        } catch (IOException closedByGateway) {
            // the gateway closed the connection mid-CONNECT
        }
        assertThat(sent).as("bytes of the %s-byte CONNECT sent before the gateway closed", connect.length)
                .isLessThan(connect.length);
        await().atMost(Duration.ofSeconds(5)).until(() -> rejected("connect_timeout", UNKNOWN) == 1);
    }

    @Test
    void connection_whenHalfOpenWithNoKeepAlive_thenClosedAfterOneAndAHalfTimesTheMaximumAndCounted()
            throws Exception {
        start();
        try (RawMqtt quiet = RawMqtt.open(gw, "127.0.0.1")) {
            quiet.send(RawMqtt.connect(NFC, NFC, TestStore.secretOf(NFC), 0, null));
            assertThat(quiet.read()).startsWith(RawMqtt.CONNACK, 0, 0);
            assertThat(quiet.closedByGateway()).as("closed while silent, keep-alive 0 notwithstanding").isTrue();
        }
        assertThat(rejected("idle_timeout", UNKNOWN)).isEqualTo(1);
    }

    @Test
    void connect_whenOneAddressStorms_thenItIsHeldToItsRateWhileOtherAddressesConnect() throws Exception {
        start();
        int storm = 200;
        for (int i = 0; i < storm; i++) {
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(STORM_ADDRESS, 0));
                socket.connect(new InetSocketAddress("127.0.0.1", gw.gateway().mqttPort()));
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> rejected("connection_rate", UNKNOWN) > storm / 2.0);
        try (TestDevice nfc = TestDevice.connect(gw.mqttUri(), NFC)) {
            nfc.publish("events", Events.nfcTap(NFC, 1, 1).build(), 1).waitForCompletion(5_000);
        }
    }

    @Test
    void connect_whenTheGlobalCapIsReached_thenMoreAreRefusedUntilSomeClose() throws Exception {
        int cap = 3; // the kiosk holds one
        start(limits(2, cap, "10s"));
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(CAP_ADDRESS, 0));
                socket.connect(new InetSocketAddress("127.0.0.1", gw.gateway().mqttPort()));
                held.add(socket);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> rejected("connection_cap", UNKNOWN) == 3);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (TestDevice nfc = TestDevice.connect(gw.mqttUri(), NFC)) {
                assertThat(nfc.isConnected()).isTrue();
            }
        });
    }

    @Test
    void publish_whenRemainingLengthIsAbsurd_thenClosedBeforeAnyOfItIsBuffered() throws Exception {
        start();
        try (RawMqtt nfc = RawMqtt.connected(gw, NFC)) {
            nfc.send(RawMqtt.header(0x30, 268_435_455));
            assertThat(nfc.closedByGateway()).isTrue();
        }
        assertThat(rejected("packet_too_large", UNKNOWN)).isEqualTo(1);
    }

    @Test
    void publish_whenTopicIsNotUtf8_thenConnectionClosedAndCounted() throws Exception {
        start();
        byte[] topic = (TestDevice.topic(NFC, "events") + "??").getBytes(StandardCharsets.US_ASCII);
        topic[topic.length - 2] = (byte) 0xC3; // a two-byte sequence whose second byte is no continuation byte
        topic[topic.length - 1] = (byte) 0x28;
        try (RawMqtt nfc = RawMqtt.connected(gw, NFC)) {
            nfc.send(RawMqtt.publish(topic, 0, Events.nfcTap(NFC, 1, 1).build().toByteArray()));
            assertThat(nfc.closedByGateway()).isTrue();
        }
        assertThat(rejected("bad_utf8", NFC)).isEqualTo(1);
    }

    @Test
    void publish_whenTopicHasAWildcard_thenConnectionClosedAndCounted() throws Exception {
        start();
        try (RawMqtt nfc = RawMqtt.connected(gw, NFC)) {
            nfc.send(RawMqtt.publish("store/test-store/devices/+/events".getBytes(StandardCharsets.UTF_8), 0,
                    Events.nfcTap(NFC, 1, 1).build().toByteArray()));
            assertThat(nfc.closedByGateway()).isTrue();
        }
        assertThat(rejected("topic_wildcard", UNKNOWN)).isEqualTo(1);
    }

    @Test
    void subscribe_whenDeviceAsksForAnotherDevicesTopicOrAWildcard_thenThoseAreRefusedInTheSuback()
            throws Exception {
        start();
        try (RawMqtt nfc = RawMqtt.connected(gw, NFC)) {
            nfc.send(RawMqtt.subscribe(TestDevice.topic(NFC, "commands"), TestDevice.topic(TestStore.BLE, "commands"),
                    "store/#"));
            // SUBACK, packet id 1, then one code per filter: granted QoS 1, and 0x80, MQTT 3.1.1's only failure code
            assertThat(nfc.read()).containsExactly(RawMqtt.SUBACK, 0, 1, 1, 0x80, 0x80);
            nfc.send(RawMqtt.pingReq());
            assertThat(nfc.read()).as("the connection is kept").startsWith(13);
        }
        assertThat(rejected("subscribe_refused", NFC)).isEqualTo(2);
    }

    @Test
    void publish_whenQos2_thenConnectionClosedAndCounted() throws Exception {
        start();
        try (RawMqtt nfc = RawMqtt.connected(gw, NFC)) {
            nfc.send(RawMqtt.publish(ownTopic("events"), 2, Events.nfcTap(NFC, 1, 1).build().toByteArray()));
            assertThat(nfc.closedByGateway()).isTrue();
        }
        assertThat(rejected("qos2_not_supported", NFC)).isEqualTo(1);
        assertThat(gw.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'nfc-1'")).isZero();
    }

    @Test
    void connect_whenWillIsOnAnotherDevicesTopic_thenNotAuthorizedAndCounted() throws Exception {
        start();
        try (RawMqtt nfc = RawMqtt.open(gw, "127.0.0.1")) {
            nfc.send(RawMqtt.connect(NFC, NFC, TestStore.secretOf(NFC), KEEP_ALIVE_S,
                    TestDevice.topic(TestStore.BLE, "status")));
            assertThat(nfc.read()).as("CONNACK 5, not authorized").containsExactly(RawMqtt.CONNACK, 0, 5);
        }
        assertThat(rejected("foreign_will", NFC)).isEqualTo(1);
    }

    @Test
    void ping_whenClientFloodsPingreqs_thenConnectionClosedAndCounted() throws Exception {
        start();
        try (RawMqtt nfc = RawMqtt.connected(gw, NFC)) {
            byte[] flood = new byte[2 * 100];
            for (int i = 0; i < flood.length; i += 2) {
                System.arraycopy(RawMqtt.pingReq(), 0, flood, i, 2);
            }
            nfc.send(flood);
            assertThat(nfc.closedByGateway()).isTrue();
        }
        assertThat(rejected("ping_flood", NFC)).isEqualTo(1);
    }

    @Test
    void client_whenItNeverReads_thenTheWriteBufferToItIsBoundedAndItIsClosed() throws Exception {
        start();
        long maxBytes = 64L * 1024 * 1024;
        long written = 0;
        try (RawMqtt deaf = RawMqtt.open(gw, "127.0.0.1", 2048)) {
            deaf.send(RawMqtt.connect(NFC, NFC, TestStore.secretOf(NFC), KEEP_ALIVE_S, null));
            assertThat(deaf.read()).startsWith(RawMqtt.CONNACK, 0, 0);
            // QoS 1 publishes to a topic that is not a device topic: each is refused at once with a PUBACK, which
            // this client never reads.
            byte[] one = RawMqtt.publish("x".getBytes(StandardCharsets.UTF_8), 1, new byte[0]);
            byte[] batch = new byte[one.length * 1000];
            for (int i = 0; i < batch.length; i += one.length) {
                System.arraycopy(one, 0, batch, i, one.length);
            }
            OutputStream out = deaf.socket().getOutputStream();
            while (written < maxBytes) {
                out.write(batch);
                written += batch.length;
            }
        } catch (IOException closedByGateway) {
            // the gateway closed the connection while the client was still writing
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> rejected("slow_reader", UNKNOWN) == 1);
        assertThat(written).as("bytes written before the gateway gave up on the client").isLessThan(maxBytes);
    }
}
