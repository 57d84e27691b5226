package io.floorgate.gateway.staff.ops;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * An alert as staff see it.
 *
 * @param kind           for example device_offline, low_battery, sla_breach, flood
 * @param subject        what it is about: a device id or an order id
 * @param acknowledgedBy the staff id that acknowledged it, once acknowledged
 */
public record OpsAlert(String id, String kind, String subject, String message, long raisedAtMs,
                       Optional<String> acknowledgedBy, OptionalLong acknowledgedAtMs) {
}
