package io.floorgate.gateway.upstream;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import javax.net.SocketFactory;

import io.floorgate.config.Upstream;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** The uplink over MQTT 3.1.1 with Eclipse Paho's mqttv3 client, for brokers that do not speak 5. */
final class Mqtt3Uplink implements Uplink {

    private final MqttAsyncClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();

    /** @param lost runs on Paho's thread when the connection drops */
    Mqtt3Uplink(Upstream upstream, UplinkSettings settings, SocketFactory sockets, Runnable lost)
            throws MqttException {
        client = new MqttAsyncClient(upstream.brokerUri().orElseThrow(), upstream.clientId(), new MemoryPersistence());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        // A clean session: what was in flight on a previous connection is resent from the outbox, not by Paho.
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(settings.connectTimeoutSeconds());
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        // The status message and the window; 3.1.1 brokers do not announce a Receive Maximum.
        options.setMaxInflight(upstream.link().inFlight() + 1);
        options.setWill(settings.statusTopic(), UplinkSettings.OFFLINE.getBytes(StandardCharsets.UTF_8), 1, true);
        upstream.link().username().ifPresent(options::setUserName);
        upstream.link().password().map(String::toCharArray).ifPresent(options::setPassword);
        if (sockets != null) {
            options.setSocketFactory(sockets);
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.run();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // The gateway subscribes to nothing upstream.
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // Acknowledgements arrive through each publish's own listener.
            }
        });
    }

    @Override
    public int connect() throws MqttException {
        client.connect(options).waitForCompletion();
        return Integer.MAX_VALUE;
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void publish(String topic, byte[] payload, boolean retained, Runnable acknowledged,
                        Consumer<Throwable> failed) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        message.setRetained(retained);
        client.publish(topic, message, null, new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                acknowledged.run();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable cause) {
                failed.accept(cause);
            }
        });
    }

    @Override
    public void disconnect(long quiesceMs) {
        try {
            client.disconnect(quiesceMs).waitForCompletion(quiesceMs + UplinkSettings.DISCONNECT_GRACE_MS);
        } catch (MqttException e) {
            forceDisconnect();
        }
    }

    private void forceDisconnect() {
        try {
            client.disconnectForcibly(0, UplinkSettings.DISCONNECT_GRACE_MS, false);
        } catch (MqttException ignored) {
            // Already down: nothing to let go of.
        }
    }

    @Override
    public void close() {
        if (client.isConnected()) {
            forceDisconnect();
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // Closing is best effort at shutdown; the socket is gone with the process.
        }
    }
}
