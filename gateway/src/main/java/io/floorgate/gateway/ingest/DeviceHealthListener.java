package io.floorgate.gateway.ingest;

/**
 * Told of what changes a device's health: it connects, it goes offline, it sends a heartbeat. Called on the device's
 * event loop as ingest takes the message in; an implementation must not block.
 */
public interface DeviceHealthListener {

    /** The device connected, or said "online" on its status topic. */
    void online(String deviceId, long atMs);

    /**
     * The device's connection closed, or it said "offline".
     *
     * @param expected true when the device said so itself (DISCONNECT or its status topic); false when the
     *                 connection was lost (no DISCONNECT: a crash, a network fault, a keep-alive timeout)
     */
    void offline(String deviceId, long atMs, boolean expected);

    /** A heartbeat was accepted; {@code health} is the device's health after it. */
    void heartbeat(DeviceHealth health);
}
