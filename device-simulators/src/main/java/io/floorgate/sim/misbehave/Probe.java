package io.floorgate.sim.misbehave;

import com.google.protobuf.ByteString;
import io.floorgate.config.Device;
import io.floorgate.config.StoreConfig;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.sim.StoreSource;
import io.floorgate.sim.play.Outbound;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** What a case uses to talk to the gateway: Paho connections and well-formed events to spoil. Blocking. */
public final class Probe {

    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
    /** Paho's window for the flood cases: enough to send a whole flood without waiting. */
    static final int FLOOD_INFLIGHT = 1_000;
    private static final int CONNECT_TIMEOUT_S = 5;

    private final StoreConfig store;
    private final String gatewayUri;

    Probe(StoreConfig store, String gatewayUri) {
        this.store = store;
        this.gatewayUri = gatewayUri;
    }

    public StoreConfig store() {
        return store;
    }

    public String topic(String deviceId, String channel) {
        return StoreSource.topic(store, deviceId, channel);
    }

    /** Connects; a refusal surfaces as MqttException with the CONNACK code as reason. */
    public MqttAsyncClient connect(String clientId, String username, String password) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(gatewayUri, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setCleanSession(true);
        // without a fixed version Paho retries a refused 3.1.1 CONNECT as 3.1, and the gateway counts two refusals
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(CONNECT_TIMEOUT_S);
        options.setMaxInflight(FLOOD_INFLIGHT);
        try {
            client.connect(options).waitForCompletion();
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    public MqttAsyncClient connect(Device device) throws MqttException {
        return connect(device.id(), device.id(), device.secret());
    }

    /** Connects with these credentials and reports the CONNACK. */
    public Answer connectAnswer(String clientId, String username, String password) {
        try {
            MqttAsyncClient client = connect(clientId, username, password);
            close(client);
            return new Answer(Answer.Kind.ACKED, "CONNACK 0 accepted");
        } catch (MqttException e) {
            if (e.getReasonCode() > 0 && e.getReasonCode() < 128) {
                return new Answer(Answer.Kind.REFUSED, "CONNACK " + e.getReasonCode());
            }
            return new Answer(Answer.Kind.CLOSED, e.getMessage());
        }
    }

    /** Publishes once at QoS 1 as {@code device} and waits for the PUBACK. */
    public Answer publishQos1(Device device, String topic, byte[] payload) throws MqttException {
        MqttAsyncClient client = connect(device);
        try {
            return publishQos1(client, topic, payload);
        } finally {
            close(client);
        }
    }

    public Answer publishQos1(MqttAsyncClient client, String topic, byte[] payload) {
        long start = System.nanoTime();
        try {
            IMqttDeliveryToken token = client.publish(topic, payload, 1, false);
            token.waitForCompletion(ACK_TIMEOUT.toMillis());
            return new Answer(Answer.Kind.ACKED, String.format("PUBACK in %.1f ms", (System.nanoTime() - start) / 1e6));
        } catch (MqttException e) {
            if (!client.isConnected()) {
                return new Answer(Answer.Kind.CLOSED, "connection closed");
            }
            return new Answer(Answer.Kind.NO_ACK, "no PUBACK within " + ACK_TIMEOUT.toSeconds() + " s");
        }
    }

    /** A valid NfcTap event from this device, on a fresh boot; of no token kind, so the gateway only stores it. */
    public DeviceEvent.Builder tap(Device device, long bootId, long seq) {
        return DeviceEvent.newBuilder().setDeviceId(device.id()).setBootId(bootId).setSeq(seq)
                .setObservedAtMs(System.currentTimeMillis())
                .setNfcTap(NfcTap.newBuilder().setToken(ByteString.copyFromUtf8("probe-token"))
                        .setKind(NfcTap.TokenKind.TOKEN_KIND_UNSPECIFIED));
    }

    /** A boot id never used before, so earlier runs' sequence numbers do not make these duplicates. */
    public static long freshBootId() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    public String eventsTopic(Device device) {
        return topic(device.id(), Outbound.EVENTS);
    }

    public static void close(MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(500).waitForCompletion(1_000);
            }
            client.close(true);
        } catch (MqttException e) {
            // already gone: nothing left to release
        }
    }
}
