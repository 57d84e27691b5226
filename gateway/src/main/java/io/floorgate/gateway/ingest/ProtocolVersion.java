package io.floorgate.gateway.ingest;

import io.netty.handler.codec.mqtt.MqttVersion;

/** The MQTT protocol level a client connected with: 3 (3.1), 4 (3.1.1) or 5 (5.0). */
final class ProtocolVersion {

    private ProtocolVersion() {
    }

    /** Whether the client speaks MQTT 5: reason codes and properties in its acknowledgements. */
    static boolean isMqtt5(int protocolLevel) {
        return protocolLevel >= MqttVersion.MQTT_5.protocolLevel();
    }
}
