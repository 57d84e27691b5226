package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input is refused and counted, while a well-behaved kiosk keeps publishing QoS 1
 * events and keeps getting them acknowledged.
 */
class MisbehavingDeviceTest {

    private static final long BOOT = 42;
    private static final double RATE = 100;
    private static final int BURST = 50;

    @TempDir
    Path dataDir;

    private RunningGateway gw;
    private TestDevice kiosk;
    private Thread wellBehaved;
    private final AtomicLong kioskAcked = new AtomicLong();
    private volatile Throwable kioskFailure;
    private volatile boolean stopKiosk;

    @BeforeEach
    void startGatewayAndWellBehavedKiosk() throws Exception {
        gw = RunningGateway.start(TestStore.config(RATE, BURST, "5ms"), dataDir);
        kiosk = TestDevice.connect(gw.mqttUri(), TestStore.KIOSK);
        wellBehaved = new Thread(() -> {
            try {
                for (long seq = 1; !stopKiosk; seq++) {
                    kiosk.publish("events", Events.feedback(TestStore.KIOSK, BOOT, seq).build(), 1)
                            .waitForCompletion(5_000);
                    kioskAcked.incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                kioskFailure = e;
            }
        }, "well-behaved-kiosk");
        wellBehaved.start();
    }

    @AfterEach
    void wellBehavedKioskWasNeverDisturbed() throws Exception {
        long before = kioskAcked.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> kioskAcked.get() > before + 5);
        stopKiosk = true;
        wellBehaved.join();
        assertThat(kioskFailure).as("the well-behaved kiosk's publishing").isNull();
        assertThat(kiosk.isConnected()).isTrue();
        kiosk.close();
        gw.close();
    }

    private double rejected(String reason, String device) {
        return gw.metric("floorgate_ingest_rejected_total", "device", device, "reason", reason);
    }

    private static int connectFailure(String uri, String clientId, String user, String password) {
        try (TestDevice ignored = TestDevice.connect(uri, clientId, user, password)) {
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    @Test
    void connect_whenCredentialsAreWrong_thenNotAuthorizedAndCounted() {
        String uri = gw.mqttUri();
        assertThat(connectFailure(uri, "intruder-1", "intruder-1", "whatever-secret"))
                .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(connectFailure(uri, TestStore.NFC, TestStore.NFC, "wrong-secret-123"))
                .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(connectFailure(uri, TestStore.NFC, TestStore.BLE, TestStore.secretOf(TestStore.BLE)))
                .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        // Someone guessing the kiosk's id with a wrong secret does not kick the real kiosk off.
        assertThat(connectFailure(uri, TestStore.KIOSK, TestStore.KIOSK, "not-the-kiosk-secret"))
                .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);

        assertThat(rejected("unknown_device", "unknown")).isEqualTo(1);
        assertThat(rejected("bad_secret", TestStore.NFC)).isEqualTo(1);
        assertThat(rejected("bad_secret", TestStore.KIOSK)).isEqualTo(1);
        assertThat(rejected("client_id_mismatch", TestStore.NFC)).isEqualTo(1);
    }

    @Test
    void publish_whenTopicOrPayloadIsWrong_thenDroppedCountedAndConnectionKept() throws Exception {
        try (TestDevice nfc = TestDevice.connect(gw.mqttUri(), TestStore.NFC)) {
            List<IMqttDeliveryToken> refused = new ArrayList<>();
            refused.add(nfc.publishTo(TestDevice.topic(TestStore.BLE, "events"),
                    Events.nfcTap(TestStore.BLE, BOOT, 1).build().toByteArray(), 1));
            refused.add(nfc.publishTo(TestDevice.topic(TestStore.NFC, "gossip"), new byte[] {1}, 1));
            refused.add(nfc.publishTo("store/other-store/devices/" + TestStore.NFC + "/events",
                    Events.nfcTap(TestStore.NFC, BOOT, 1).build().toByteArray(), 1));
            refused.add(nfc.publishTo(TestDevice.topic(TestStore.NFC, "commands"), new byte[] {1}, 1));
            refused.add(nfc.publishTo(TestDevice.topic(TestStore.NFC, "events"),
                    "{\"json\": \"not protobuf\"}".getBytes(StandardCharsets.UTF_8), 1));
            refused.add(nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, 0).build(), 1));
            refused.add(nfc.publish("events", Events.sightings(TestStore.NFC, BOOT, 1).build(), 1));
            refused.add(nfc.publishTo(TestDevice.topic(TestStore.NFC, "events"), new byte[1500], 1));
            refused.add(nfc.publishTo(TestDevice.topic(TestStore.NFC, "status"),
                    "maybe".getBytes(StandardCharsets.UTF_8), 1));
            for (IMqttDeliveryToken token : refused) {
                token.waitForCompletion(5_000);
            }
            assertThat(rejected("foreign_topic", TestStore.NFC)).isEqualTo(1);
            assertThat(rejected("bad_topic", TestStore.NFC)).isEqualTo(3);
            assertThat(rejected("not_protobuf", TestStore.NFC)).isEqualTo(1);
            assertThat(rejected("invalid_event", TestStore.NFC)).isEqualTo(2);
            assertThat(rejected("body_not_allowed", TestStore.NFC)).isEqualTo(1);
            assertThat(rejected("oversize", TestStore.NFC)).isEqualTo(1);

            nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, 1).build(), 1).waitForCompletion(5_000);
            assertThat(gw.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'nfc-1'")).isEqualTo(1);
            assertThat(nfc.isConnected()).isTrue();
        }
    }

    @Test
    void publish_whenPacketIsFarOverTheLimit_thenOnlyThatConnectionIsClosed() throws Exception {
        TestDevice nfc = TestDevice.connect(gw.mqttUri(), TestStore.NFC);
        try {
            IMqttDeliveryToken huge = nfc.publishTo(TestDevice.topic(TestStore.NFC, "events"), new byte[64 * 1024], 1);
            assertThatThrownBy(() -> huge.waitForCompletion(5_000)).isInstanceOf(MqttException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> !nfc.isConnected());
        } finally {
            nfc.client().close(true);
        }
    }

    @Test
    void publish_whenDeviceFloodsOverItsRate_thenQos0IsDroppedAndQos1IsDelayedNotLost() throws Exception {
        try (TestDevice ble = TestDevice.connect(gw.mqttUri(), TestStore.BLE)) {
            int flood = 400;
            for (long seq = 1; seq <= flood; seq++) {
                ble.publish("events", Events.sightings(TestStore.BLE, BOOT, seq).build(), 0);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> rejected("rate_limited", TestStore.BLE) > 0);
            double dropped = rejected("rate_limited", TestStore.BLE);
            assertThat(dropped).as("QoS 0 dropped over %s/s, burst %s", RATE, BURST).isGreaterThan(flood / 2.0);
        }
        try (TestDevice nfc = TestDevice.connect(gw.mqttUri(), TestStore.NFC)) {
            int flood = 200;
            List<IMqttDeliveryToken> tokens = new ArrayList<>();
            for (long seq = 1; seq <= flood; seq++) {
                tokens.add(nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, seq).build(), 1));
            }
            for (IMqttDeliveryToken token : tokens) {
                token.waitForCompletion(10_000);
            }
            assertThat(gw.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'nfc-1'")).isEqualTo(flood);
            assertThat(gw.metric("floorgate_ingest_throttled_total", "device", TestStore.NFC))
                    .as("QoS 1 messages held back").isGreaterThan(0);
        }
    }

    @Test
    void connect_whenBytesAreNotMqtt_thenConnectionIsDroppedAndGatewayServesOthers() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.gateway().mqttPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(5_000);
            assertThat(socket.getInputStream().read()).as("server closes the socket").isEqualTo(-1);
        }
        try (TestDevice nfc = TestDevice.connect(gw.mqttUri(), TestStore.NFC)) {
            nfc.publish("events", Events.nfcTap(TestStore.NFC, BOOT, 1).build(), 1).waitForCompletion(5_000);
        }
    }

    @Test
    void publish_whenMqtt5DeviceUsesAnotherDevicesTopic_thenPubackCarriesNotAuthorized() throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(gw.mqttUri(), TestStore.NFC, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(TestStore.NFC);
        options.setPassword(TestStore.secretOf(TestStore.NFC).getBytes(StandardCharsets.UTF_8));
        client.connect(options).waitForCompletion(5_000);
        try {
            IMqttToken foreign = client.publish(TestDevice.topic(TestStore.BLE, "events"),
                    Events.nfcTap(TestStore.BLE, BOOT, 1).build().toByteArray(), 1, false);
            foreign.waitForCompletion(5_000);
            assertThat(foreign.getReasonCodes()).containsExactly(0x87);

            IMqttToken good = client.publish(TestDevice.topic(TestStore.NFC, "events"),
                    Events.nfcTap(TestStore.NFC, BOOT, 1).build().toByteArray(), 1, false);
            good.waitForCompletion(5_000);
            assertThat(good.getReasonCodes()).containsExactly(0);
            assertThat(gw.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'nfc-1'")).isEqualTo(1);
        } finally {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        }
    }
}
