package io.floorgate.gateway.staff.ops;

/**
 * One device's row in the ops page's health table.
 *
 * @param batteryPct null for mains-powered devices or before the first heartbeat
 * @param firmware   null before the first heartbeat
 * @param rejected   inputs from this device rejected since the gateway started
 */
public record DeviceStatus(String deviceId, boolean online, long lastSeenMs, Integer batteryPct, String firmware,
                           long rejected) {
}
