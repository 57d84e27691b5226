package io.floorgate.sim.play;

/**
 * One MQTT message a simulated device publishes.
 *
 * @param deviceId the publishing device
 * @param channel  the last topic level: events, health or status
 * @param qos      0 or 1
 * @param payload  the encoded protobuf message
 */
public record Outbound(String deviceId, String channel, int qos, byte[] payload) {

    public static final String EVENTS = "events";
    public static final String HEALTH = "health";
    public static final String STATUS = "status";
}
