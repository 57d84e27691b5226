package io.floorgate.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.floorgate.proto.v1.UpstreamMessage;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The chain's side in a test: a Paho MQTT 5 client subscribed at QoS 1 to one store's upstream topics with a
 * session that outlives the connection (and a broker restart), so nothing the gateway sends while it is away is
 * lost to it. It keeps every message as it came, duplicates included.
 */
public final class UpstreamSubscriber implements AutoCloseable {

    /** A message, the topic it came on, and its bytes as the broker delivered them. */
    public record Received(String topic, UpstreamMessage message, byte[] payload) {
    }

    private static final long SESSION_EXPIRY_S = 3600;

    private final MqttClient client;
    private final String filter;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> statuses = new CopyOnWriteArrayList<>();

    private UpstreamSubscriber(MqttClient client, String filter) {
        this.client = client;
        this.filter = filter;
    }

    /** Subscribes to retail/{chain}/stores/{store}/#. */
    public static UpstreamSubscriber subscribe(String brokerUri, String chainId, String storeId) throws MqttException {
        MqttClient client = new MqttClient(brokerUri, "chain-consumer-" + storeId, new MemoryPersistence());
        UpstreamSubscriber subscriber = new UpstreamSubscriber(client,
                "retail/" + chainId + "/stores/" + storeId + "/#");
        client.setCallback(subscriber.callback());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(SESSION_EXPIRY_S);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 1);
        client.connect(options);
        client.subscribe(subscriber.filter, 1);
        return subscriber;
    }

    private MqttCallback callback() {
        return new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                if (topic.endsWith("/status")) {
                    statuses.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                } else {
                    received.add(new Received(topic, UpstreamMessage.parseFrom(message.getPayload()), message.getPayload()));
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                // Paho reconnects; the session kept what came meanwhile.
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                // Reconnects as above.
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
                // Publishes nothing.
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                // The session holds the subscription.
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
                // No enhanced authentication.
            }
        };
    }

    /** Every message received so far, in arrival order, duplicates included. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The payloads received on the status topic, in order. */
    public List<String> statuses() {
        return List.copyOf(statuses);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
