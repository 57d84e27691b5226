package io.floorgate.gateway.ingest;

/**
 * A device's health as the gateway sees it now.
 *
 * @param batteryPct null for mains-powered devices or before the first heartbeat
 * @param firmware   null before the first heartbeat
 */
public record DeviceHealth(String deviceId, boolean online, long lastSeenMs, long bootId, Integer batteryPct,
                           String firmware) {
}
