package io.floorgate.config;

import java.time.Duration;

/**
 * How long each kind of stored row is kept; every value at least 1 minute.
 *
 * @param touches NFC taps, kiosk scans and kiosk interactions linked to a shopper's session
 * @param audit   the audit log of staff actions on shoppers' data; at least as long as any shopper data it may be
 *                about (checked at load), so that who looked is known for as long as there is anything to look at
 */
public record Retention(Duration deviceEvents, Duration zoneVisits, Duration sessions, Duration orders,
                        Duration outbox, Duration touches, Duration audit) {

    /** A year: longer than every default retention of shopper data, as the audit log must be. */
    public static final Duration DEFAULT_AUDIT = Duration.ofDays(365);

    /** With the default audit retention. */
    public Retention(Duration deviceEvents, Duration zoneVisits, Duration sessions, Duration orders,
                     Duration outbox, Duration touches) {
        this(deviceEvents, zoneVisits, sessions, orders, outbox, touches, DEFAULT_AUDIT);
    }
}
