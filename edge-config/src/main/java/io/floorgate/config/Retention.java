package io.floorgate.config;

import java.time.Duration;

/**
 * How long each kind of stored row is kept; every value at least 1 minute.
 *
 * @param touches NFC taps, kiosk scans and kiosk interactions linked to a shopper's session
 */
public record Retention(Duration deviceEvents, Duration zoneVisits, Duration sessions, Duration orders,
                        Duration outbox, Duration touches) {
}
