package io.floorgate.gateway.testing;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** One MQTT 3.1.1 connect, to see whether the gateway accepts it; the client is always closed again. */
public final class ConnectAttempt {

    /** What {@link #outcome} returns when the gateway accepted the connection. */
    public static final int ACCEPTED = 0;

    private static final long WAIT_MS = 10_000;

    private ConnectAttempt() {
    }

    /**
     * @return {@link #ACCEPTED}, or Paho's reason code for the refusal, e.g.
     *         {@link MqttException#REASON_CODE_NOT_AUTHORIZED} for CONNACK 5 (not authorized) or
     *         {@link MqttException#REASON_CODE_BROKER_UNAVAILABLE} for CONNACK 3 (server unavailable)
     */
    public static int outcome(String serverUri, String deviceId, String password) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(serverUri, deviceId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(deviceId);
        options.setPassword(password.toCharArray());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout((int) (WAIT_MS / 1000));
        try {
            client.connect(options).waitForCompletion(WAIT_MS);
            client.disconnect().waitForCompletion(WAIT_MS);
            return ACCEPTED;
        } catch (MqttException e) {
            return e.getReasonCode();
        } finally {
            client.close(true);
        }
    }
}
