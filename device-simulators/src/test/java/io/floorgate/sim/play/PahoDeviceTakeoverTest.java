package io.floorgate.sim.play;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.Listeners;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.Gateway;
import io.floorgate.gateway.ingest.DeviceHealth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated device comes back after any disconnect, against a real gateway in-process: here another connection
 * with the device's client id and credentials takes its place [MQTT-3.1.4-2], again and again, as a second copy of
 * the firmware (or a cloned device) would.
 */
class PahoDeviceTakeoverTest {

    private static final long TIMEOUT_S = 30;
    /** The device's longest backoff, then time for the connect itself on a busy machine. */
    private static final Duration BACK_WITHIN = Duration.ofMillis(ReconnectBackoff.MAX_MS).plusSeconds(30);
    /** Times the device is pushed off before the other connection leaves: enough to be a fight, not a one-off. */
    private static final int PUSHED_OFF = 3;

    @TempDir
    Path dataDir;

    private Vertx vertx;
    private Gateway gateway;
    private StoreConfig store;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void startGateway() throws Exception {
        store = StoreConfigLoader.loadDemo().withListeners(new Listeners("127.0.0.1", 0, 0, Optional.empty()));
        vertx = Vertx.vertx();
        gateway = get(Gateway.start(vertx, store, dataDir));
    }

    @AfterEach
    void stopGateway() throws Exception {
        scheduler.shutdownNow();
        get(gateway.stop());
        get(vertx.close());
    }

    private static <T> T get(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private List<String> onlineAtGateway() {
        return gateway.deviceHealthQuery().devices().stream().filter(DeviceHealth::online)
                .map(DeviceHealth::deviceId).toList();
    }

    @Test
    void aDeviceWhoseClientIdIsTakenOver_whenTheOtherConnectionLeaves_thenComesBackAndTheGatewayCountsItOnline()
            throws Exception {
        Device kiosk = store.devices().stream().filter(d -> d.kind() == DeviceKind.KIOSK).findFirst().orElseThrow();
        String uri = "tcp://127.0.0.1:" + gateway.mqttPort();
        PlayStats stats = new PlayStats();
        PahoDevice device = new PahoDevice(kiosk, store.storeId(), uri, stats, scheduler, (id, command) -> { },
                acked -> { });
        device.connect().waitForCompletion(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        await().atMost(Duration.ofSeconds(TIMEOUT_S)).until(() -> onlineAtGateway().equals(List.of(kiosk.id())));

        // the other connection takes the id back at once whenever it is pushed off, until it leaves
        AtomicBoolean fighting = new AtomicBoolean(true);
        MqttAsyncClient other = new MqttAsyncClient(uri, kiosk.id(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(kiosk.id());
        options.setPassword(kiosk.secret().toCharArray());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        other.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                if (fighting.get()) {
                    scheduler.execute(() -> connectQuietly(other, options));
                }
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        other.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        await().atMost(BACK_WITHIN.multipliedBy(PUSHED_OFF)).until(() -> stats.reconnects() >= PUSHED_OFF);
        fighting.set(false);
        // leaves: cleanly if it holds the id now; pushed off for good otherwise
        if (other.isConnected()) {
            other.disconnect().waitForCompletion(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        }

        await().atMost(BACK_WITHIN).until(device::isConnected);
        await().atMost(Duration.ofSeconds(TIMEOUT_S)).until(() -> onlineAtGateway().equals(List.of(kiosk.id())));
        assertThat(device.isDown()).isFalse();
        device.disconnect();
        other.close(true);
    }

    private static void connectQuietly(MqttAsyncClient client, MqttConnectOptions options) {
        try {
            client.connect(options);
        } catch (MqttException e) {
            // already connecting, or refused: the fight goes on without this attempt
        }
    }
}
