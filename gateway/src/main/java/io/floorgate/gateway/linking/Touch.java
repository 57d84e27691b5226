package io.floorgate.gateway.linking;

/**
 * A device event linked to a shopper's session.
 *
 * @param sessionId       the session
 * @param deviceId        the NFC reader or kiosk
 * @param deviceZoneId    the zone the device is configured in; for matching a pickup point, never stored for a
 *                        shopper without location consent
 * @param locationConsent whether the shopper consented to be located: without it no zone is recorded
 * @param kind            a tap or scan of the session's token, or an interaction during a kiosk session
 * @param bootId          with {@code seq}, the device event this touch is (its dedup key)
 * @param seq             the device event's sequence number
 * @param atMs            when the gateway received it, epoch milliseconds
 */
public record Touch(String sessionId, String deviceId, String deviceZoneId, boolean locationConsent, TouchKind kind,
                    long bootId, long seq, long atMs) {
}
