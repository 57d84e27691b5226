package io.floorgate.sim.upstream;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link UpstreamSubscriber} on Paho's MQTT 5 client. */
final class Mqtt5Subscriber implements UpstreamSubscriber {

    private static final Logger LOG = LoggerFactory.getLogger(Mqtt5Subscriber.class);

    private final MqttAsyncClient client;

    private Mqtt5Subscriber(MqttAsyncClient client) {
        this.client = client;
    }

    static Mqtt5Subscriber connect(Options options, Delivery delivery) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(options.broker().toString(), options.clientId(),
                new MemoryPersistence());
        MqttSubscription[] subscriptions = options.filters().stream().map(f -> new MqttSubscription(f, QOS))
                .toArray(MqttSubscription[]::new);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                LOG.info("{} to {}; subscribing to {}", reconnect ? "Reconnected" : "Connected", serverUri,
                        String.join(", ", options.filters()));
                try {
                    // not waited for: this is Paho's callback thread, which must stay free to read the SUBACK
                    client.subscribe(subscriptions);
                } catch (MqttException e) {
                    LOG.warn("Subscribe failed: {}", e.toString());
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                LOG.warn("Connection to the broker lost ({}); reconnecting", response);
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
                LOG.warn("MQTT error: {}", e.toString());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                delivery.arrived(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
                // the consumer publishes nothing
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
                // no enhanced authentication
            }
        });
        MqttConnectionOptions connect = new MqttConnectionOptions();
        connect.setCleanStart(options.cleanSession());
        if (!options.cleanSession()) {
            connect.setSessionExpiryInterval(SESSION_EXPIRY.toSeconds());
        }
        connect.setAutomaticReconnect(true);
        connect.setAutomaticReconnectDelay(1, (int) MAX_RECONNECT_DELAY.toSeconds());
        connect.setConnectionTimeout((int) CONNECT_TIMEOUT.toSeconds());
        client.connect(connect).waitForCompletion(CONNECT_TIMEOUT.toMillis());
        return new Mqtt5Subscriber(client);
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(CONNECT_TIMEOUT.toMillis());
            }
        } finally {
            client.close(true);
        }
    }
}
