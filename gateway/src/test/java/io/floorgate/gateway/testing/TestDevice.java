package io.floorgate.gateway.testing;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.google.protobuf.MessageLite;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A device as a real Eclipse Paho client (MQTT 3.1.1): what a store's receivers and readers run. */
public final class TestDevice implements AutoCloseable {

    private static final long WAIT_MS = 10_000;
    /** The id of the shipped demo store, whose devices several end-to-end tests connect as. */
    private static final String DEMO_STORE_ID = "demo-001";

    private final MqttAsyncClient client;
    private final String deviceId;
    private final ConcurrentLinkedQueue<Throwable> connectionLost = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    /** A message the gateway sent to the device. */
    public record Received(String topic, byte[] payload) {
    }

    private final MqttConnectOptions options;

    private TestDevice(MqttAsyncClient client, String deviceId, MqttConnectOptions options) {
        this.client = client;
        this.deviceId = deviceId;
        this.options = options;
    }

    public static TestDevice connect(String serverUri, String deviceId) throws MqttException {
        return connect(serverUri, deviceId, deviceId, TestStore.secretOf(deviceId));
    }

    public static TestDevice connect(String serverUri, String clientId, String username, String password)
            throws MqttException {
        return connect(serverUri, TestStore.STORE_ID, clientId, username, password);
    }

    /** A device of the shipped demo store ({@code edge-config/stores}), with its demo password. */
    public static TestDevice connectToDemoStore(String serverUri, String deviceId) throws MqttException {
        return connect(serverUri, DEMO_STORE_ID, deviceId, deviceId, "demo-only-" + deviceId);
    }

    /** Connects with its last will on its own status topic in {@code storeId}, as the gateway requires. */
    public static TestDevice connect(String serverUri, String storeId, String clientId, String username,
                                     String password) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        TestDevice device = new TestDevice(client, clientId, options);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                device.connectionLost.add(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                device.received.add(new Received(topic, message.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // tests wait on the token itself
            }
        });
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(1000);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setWill("store/" + storeId + "/devices/" + clientId + "/status",
                "offline".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false);
        client.connect(options).waitForCompletion(WAIT_MS);
        return device;
    }

    public static String topic(String deviceId, String channel) {
        return "store/" + TestStore.STORE_ID + "/devices/" + deviceId + "/" + channel;
    }

    public IMqttDeliveryToken publish(String channel, MessageLite payload, int qos) throws MqttException {
        return publishTo(topic(deviceId, channel), payload.toByteArray(), qos);
    }

    public IMqttDeliveryToken publishTo(String topic, byte[] payload, int qos) throws MqttException {
        return client.publish(topic, payload, qos, false);
    }

    /** Subscribes at QoS 1 to one of its own topics (the gateway grants only "commands"). */
    public void subscribe(String channel) throws MqttException {
        client.subscribe(topic(deviceId, channel), 1).waitForCompletion(WAIT_MS);
    }

    /** What the gateway sent to the device so far, in order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    public MqttAsyncClient client() {
        return client;
    }

    /** Drops the connection without DISCONNECT, as a device that crashed or lost its network. */
    public void dropConnection() throws MqttException {
        client.disconnectForcibly(0, 0, false);
    }

    /** Connects again after a {@link #dropConnection()}, with the same options as the first time. */
    public void reconnect() throws MqttException {
        client.connect(options).waitForCompletion(WAIT_MS);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(WAIT_MS);
        }
        client.close(true);
    }
}
