package io.floorgate.gateway.store;

/**
 * A device's health as last heard. Null fields leave the stored value as it was, so a connect or
 * disconnect does not erase the battery level the last heartbeat reported.
 */
public record DeviceStateRow(String deviceId, boolean online, long lastSeenMs, Long bootId, Integer batteryPct,
                             String firmware, Long uptimeS, Integer wifiRssiDbm) implements StoreWrite {

    public static DeviceStateRow presence(String deviceId, boolean online, long lastSeenMs) {
        return new DeviceStateRow(deviceId, online, lastSeenMs, null, null, null, null, null);
    }
}
