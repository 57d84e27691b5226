package io.floorgate.gateway.ingest;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A configured device's health as the gateway sees it now, since the gateway started.
 *
 * @param online         an MQTT connection is open (or the device said {@code online} on its status topic since)
 * @param lastSeenMs     the last connection or message, epoch milliseconds; empty when not heard since start
 * @param bootId         from the last heartbeat; empty before the first
 * @param batteryPct     from the last heartbeat; empty for mains-powered devices or before the first heartbeat
 * @param firmware       from the last heartbeat; empty before the first
 * @param rejectedInputs connections and messages of this device refused since start, every reason counted (see
 *                       {@link RejectionQuery})
 */
public record DeviceHealth(String deviceId, boolean online, OptionalLong lastSeenMs, OptionalLong bootId,
                           OptionalInt batteryPct, Optional<String> firmware, long rejectedInputs) {
}
