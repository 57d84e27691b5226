package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import javax.net.SocketFactory;
import javax.net.ssl.SSLHandshakeException;

import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.SelfSignedCertificate;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MQTT over TLS with the store's own certificate and key, beside the plain listener. */
class TlsListenerTest {

    private static final long WAIT_MS = 10_000;
    private static final long BOOT_ID = 11;

    @TempDir
    Path dir;

    private SelfSignedCertificate certificate;
    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        certificate = SelfSignedCertificate.writeTo(dir);
        // Relative paths: the loader resolves them against the configuration file's directory.
        Path configFile = dir.resolve("store.yaml");
        Files.writeString(configFile, TestStore.yaml(10_000, 10_000, "5ms",
                ", tls: { port: 0, cert: cert.pem, key: key.pem }"));
        StoreConfig config = StoreConfigLoader.load(configFile);
        gateway = RunningGateway.start(new GatewaySettings(config, Optional.empty(), dir.resolve("data"), false));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void connect_whenTlsConfigured_thenDeviceConnectsOverTlsAndQos1TapIsStoredBeforePuback() throws Exception {
        assertThat(gateway.gateway().mqttTlsPort()).isPositive().isNotEqualTo(gateway.gateway().mqttPort());

        try (TlsDevice nfc = TlsDevice.connect(tlsUri(), TestStore.NFC, certificate.trustingSocketFactory())) {
            nfc.client.publish(TestDevice.topic(TestStore.NFC, "events"),
                    Events.nfcTap(TestStore.NFC, BOOT_ID, 1).build().toByteArray(), 1, false).waitForCompletion(WAIT_MS);
        }

        assertThat(gateway.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'nfc-1' AND boot_id = "
                + BOOT_ID + " AND seq = 1 AND kind = 'nfc_tap'")).isEqualTo(1);
    }

    @Test
    void connect_whenClientDoesNotTrustTheCertificate_thenHandshakeFailsAndGatewayStaysUp() throws Exception {
        // The JVM's default trust store knows public CAs only, not the store's self-signed certificate.
        assertThatThrownBy(() -> TlsDevice.connect(tlsUri(), TestStore.NFC,
                javax.net.ssl.SSLSocketFactory.getDefault()).close())
                .isInstanceOf(MqttException.class)
                .hasCauseInstanceOf(SSLHandshakeException.class);

        assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(200);
        try (TestDevice plain = TestDevice.connect(gateway.mqttUri(), TestStore.BLE)) {
            plain.publish("health", Events.heartbeat(TestStore.BLE, BOOT_ID, 80), 1).waitForCompletion(WAIT_MS);
        }
        try (TlsDevice trusting = TlsDevice.connect(tlsUri(), TestStore.NFC, certificate.trustingSocketFactory())) {
            trusting.client.publish(TestDevice.topic(TestStore.NFC, "events"),
                    Events.nfcTap(TestStore.NFC, BOOT_ID, 2).build().toByteArray(), 1, false).waitForCompletion(WAIT_MS);
        }
        assertThat(gateway.count("SELECT COUNT(*) FROM device_event WHERE device_id = 'nfc-1'")).isEqualTo(1);
    }

    @Test
    void connect_whenPlainMqttIsSentToTheTlsPort_thenIsNotAcceptedAndGatewayStaysUp() throws Exception {
        String plainToTlsPort = "tcp://127.0.0.1:" + gateway.gateway().mqttTlsPort();

        assertThatThrownBy(() -> TlsDevice.connect(plainToTlsPort, TestStore.NFC, SocketFactory.getDefault()).close())
                .isInstanceOf(MqttException.class);

        try (TlsDevice nfc = TlsDevice.connect(tlsUri(), TestStore.NFC, certificate.trustingSocketFactory())) {
            assertThat(nfc.client.isConnected()).isTrue();
        }
    }

    private String tlsUri() {
        return "ssl://127.0.0.1:" + gateway.gateway().mqttTlsPort();
    }

    /** A Paho device with its own socket factory (TestDevice connects over plain TCP only). */
    private record TlsDevice(MqttAsyncClient client) implements AutoCloseable {

        static TlsDevice connect(String uri, String deviceId, SocketFactory sockets) throws MqttException {
            MqttAsyncClient client = new MqttAsyncClient(uri, deviceId, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName(deviceId);
            options.setPassword(TestStore.secretOf(deviceId).toCharArray());
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setConnectionTimeout((int) (WAIT_MS / 1000));
            options.setSocketFactory(sockets);
            // Checked against the certificate's subject alternative names (IP 127.0.0.1).
            options.setHttpsHostnameVerificationEnabled(true);
            try {
                client.connect(options).waitForCompletion(WAIT_MS);
            } catch (MqttException e) {
                client.close(true);
                throw e;
            }
            return new TlsDevice(client);
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MS);
            }
            client.close(true);
        }
    }
}
