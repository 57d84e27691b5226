package io.floorgate.sim.upstream;

import java.util.Arrays;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link UpstreamSubscriber} on Paho's MQTT 3.1.1 client. */
final class Mqtt3Subscriber implements UpstreamSubscriber {

    private static final Logger LOG = LoggerFactory.getLogger(Mqtt3Subscriber.class);

    private final MqttAsyncClient client;

    private Mqtt3Subscriber(MqttAsyncClient client) {
        this.client = client;
    }

    static Mqtt3Subscriber connect(Options options, Delivery delivery) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(options.broker().toString(), options.clientId(),
                new MemoryPersistence());
        int[] qos = new int[options.filters().size()];
        Arrays.fill(qos, QOS);
        String[] filters = options.filters().toArray(String[]::new);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                LOG.info("{} to {}; subscribing to {}", reconnect ? "Reconnected" : "Connected", serverUri,
                        String.join(", ", filters));
                try {
                    // not waited for: this is Paho's callback thread, which must stay free to read the SUBACK
                    client.subscribe(filters, qos);
                } catch (MqttException e) {
                    LOG.warn("Subscribe failed: {}", e.toString());
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
                LOG.warn("Connection to the broker lost ({}); reconnecting", cause.toString());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                delivery.arrived(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // the consumer publishes nothing
            }
        });
        MqttConnectOptions connect = new MqttConnectOptions();
        connect.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        connect.setCleanSession(options.cleanSession());
        connect.setAutomaticReconnect(true);
        connect.setMaxReconnectDelay((int) MAX_RECONNECT_DELAY.toMillis());
        connect.setConnectionTimeout((int) CONNECT_TIMEOUT.toSeconds());
        client.connect(connect).waitForCompletion(CONNECT_TIMEOUT.toMillis());
        return new Mqtt3Subscriber(client);
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
