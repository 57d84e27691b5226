package io.floorgate.sim.play;

import io.floorgate.config.Device;
import java.util.ArrayDeque;
import java.util.Deque;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One simulated device's MQTT connection: an Eclipse Paho async client with a bounded in-flight
 * window. Publishing never blocks the caller: a message that does not fit the window waits in a
 * bounded queue, drained as PUBACKs arrive; when the queue is full the message is dropped and
 * counted as an error. Paho's own threads call back into it.
 */
final class PahoDevice {

    /** QoS 1 messages on the wire per device; a store device rarely has more than a few. */
    static final int MAX_INFLIGHT = 64;
    /** Messages waiting for the window; beyond it the device is hopelessly behind and drops. */
    static final int MAX_QUEUED = 1_000;
    private static final int KEEP_ALIVE_S = 60;
    private static final int CONNECT_TIMEOUT_S = 10;
    private static final String OFFLINE = "offline";

    private final Device device;
    private final String topicPrefix;
    private final MqttAsyncClient client;
    private final PlayStats stats;
    private final Deque<Outbound> queued = new ArrayDeque<>();
    private final IMqttActionListener onAck;
    /** QoS 0 messages also hold a slot in Paho's window until written; their completion frees it. */
    private final IMqttActionListener onWritten;

    PahoDevice(Device device, String storeId, String gatewayUri, PlayStats stats) throws MqttException {
        this.device = device;
        this.topicPrefix = "store/" + storeId + "/devices/" + device.id() + "/";
        this.client = new MqttAsyncClient(gatewayUri, device.id(), new MemoryPersistence());
        this.stats = stats;
        this.onAck = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                stats.acked.increment();
                stats.inflight.decrementAndGet();
                drain();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                stats.errors.increment();
                stats.inflight.decrementAndGet();
                drain();
            }
        };
        this.onWritten = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                drain();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                stats.errors.increment();
                drain();
            }
        };
    }

    String id() {
        return device.id();
    }

    IMqttToken connect() throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(device.id());
        options.setPassword(device.secret().toCharArray());
        options.setCleanSession(true);
        // without a fixed version Paho retries a refused 3.1.1 CONNECT as 3.1, and the gateway counts two refusals
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setKeepAliveInterval(KEEP_ALIVE_S);
        options.setConnectionTimeout(CONNECT_TIMEOUT_S);
        options.setMaxInflight(MAX_INFLIGHT);
        options.setWill(topicPrefix + Outbound.STATUS, OFFLINE.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1,
                false);
        return client.connect(options);
    }

    boolean isConnected() {
        return client.isConnected();
    }

    void publish(Outbound message) {
        synchronized (queued) {
            if (!queued.isEmpty()) {
                enqueue(message);
                return;
            }
            if (!send(message)) {
                enqueue(message);
            }
        }
    }

    /** Sends now, or false when Paho's window is full. */
    private boolean send(Outbound message) {
        try {
            client.publish(topicPrefix + message.channel(), message.payload(), message.qos(), false, null,
                    message.qos() > 0 ? onAck : onWritten);
            if (message.qos() > 0) {
                stats.sentQos1.increment();
                stats.inflight.incrementAndGet();
            } else {
                stats.sentQos0.increment();
            }
            return true;
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                return false;
            }
            stats.errors.increment();
            return true;
        }
    }

    private void enqueue(Outbound message) {
        if (queued.size() >= MAX_QUEUED) {
            stats.errors.increment();
            return;
        }
        queued.add(message);
    }

    private void drain() {
        synchronized (queued) {
            while (!queued.isEmpty() && send(queued.peek())) {
                queued.poll();
            }
        }
    }

    int queuedCount() {
        synchronized (queued) {
            return queued.size();
        }
    }

    /** A clean DISCONNECT: the gateway does not publish the last will. */
    void disconnect() {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000).waitForCompletion(2_000);
            }
            client.close();
        } catch (MqttException e) {
            stats.errors.increment();
        }
    }
}
