package io.floorgate.gateway.alerts;

import java.util.Locale;

/** What an alert is about; its subject says which one. */
public enum AlertKind {
    /** A device's connection was lost without DISCONNECT. Subject: the device id. Resolved when it reconnects. */
    DEVICE_OFFLINE,
    /** A heartbeat reported the battery at or below {@link AlertStage#LOW_BATTERY_PCT}. Subject: the device id. */
    LOW_BATTERY,
    /** A shopper waits longer than the service level. Subject: the order id. Resolved at hand-off. */
    SERVICE_LEVEL_BREACH,
    /** Many connections refused for unknown ids or wrong secrets in one window. Subject: {@code store}. */
    UNKNOWN_DEVICE_STORM,
    /** One device far over its publish rate in one window. Subject: the device id. */
    FLOOD,
    /** The upstream outbox holds more than it should; raised and cleared by the upstream forwarder. */
    UPLINK_BACKLOG;

    /** Lower case with hyphens, for JSON and logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
