package io.floorgate.gateway.upstream;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import javax.net.SocketFactory;

import io.floorgate.config.Upstream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** The uplink over MQTT 5 with Eclipse Paho's mqttv5 client. */
final class Mqtt5Uplink implements Uplink {

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options = new MqttConnectionOptions();

    /** @param lost runs on Paho's thread when the connection drops */
    Mqtt5Uplink(Upstream upstream, UplinkSettings settings, SocketFactory sockets, Runnable lost)
            throws MqttException {
        client = new MqttAsyncClient(upstream.brokerUri().orElseThrow(), upstream.clientId(), new MemoryPersistence());
        // A clean start: what was in flight on a previous connection is resent from the outbox, not by Paho.
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(settings.connectTimeoutSeconds());
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        MqttMessage will = new MqttMessage(UplinkSettings.OFFLINE.getBytes(StandardCharsets.UTF_8), 1, true, null);
        options.setWill(settings.statusTopic(), will);
        upstream.link().username().ifPresent(options::setUserName);
        upstream.link().password().map(p -> p.getBytes(StandardCharsets.UTF_8)).ifPresent(options::setPassword);
        if (sockets != null) {
            options.setSocketFactory(sockets);
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                lost.run();
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                lost.run();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // The gateway subscribes to nothing upstream.
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
                // Acknowledgements arrive through each publish's own listener.
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                // connect() waits for its token.
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
                // No enhanced authentication.
            }
        });
    }

    @Override
    public int connect() throws MqttException {
        IMqttToken token = client.connect(options);
        token.waitForCompletion();
        if (token.getResponse() instanceof MqttConnAck ack && ack.getProperties() != null
                && ack.getProperties().getReceiveMaximum() != null) {
            return ack.getProperties().getReceiveMaximum();
        }
        return Integer.MAX_VALUE;
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void publish(String topic, byte[] payload, boolean retained, Runnable acknowledged,
                        Consumer<Throwable> failed) throws MqttException {
        MqttMessage message = new MqttMessage(payload, 1, retained, null);
        client.publish(topic, message, null, new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                // Under MQTT 5 a PUBACK may carry a refusal (reason code 0x80 and above) [MQTT-3.4.2-1].
                int[] reasons = token.getReasonCodes();
                if (reasons != null && reasons.length > 0 && reasons[0] >= 0x80) {
                    failed.accept(new MqttException(reasons[0]));
                } else {
                    acknowledged.run();
                }
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
