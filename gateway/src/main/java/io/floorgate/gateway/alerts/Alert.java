package io.floorgate.gateway.alerts;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One alert as it is now. Immutable: acknowledging or resolving it makes a new one with the same id.
 *
 * @param subject         what it is about: a device id, an order id, or {@code store}
 * @param message         one line for staff
 * @param raisedAtMs      when it was raised, milliseconds since the epoch
 * @param acknowledgement who acknowledged it and when, once someone did
 * @param resolvedAtMs    when its condition cleared; empty while it is open
 */
public record Alert(String id, AlertKind kind, String subject, String message, long raisedAtMs,
                    Optional<Acknowledgement> acknowledgement, OptionalLong resolvedAtMs) {

    /** A member of staff who saw the alert. */
    public record Acknowledgement(String staffId, long atMs) {
    }

    public boolean isOpen() {
        return resolvedAtMs.isEmpty();
    }

    Alert acknowledged(String staffId, long atMs) {
        return new Alert(id, kind, subject, message, raisedAtMs, Optional.of(new Acknowledgement(staffId, atMs)),
                resolvedAtMs);
    }

    Alert resolved(long atMs) {
        return new Alert(id, kind, subject, message, raisedAtMs, acknowledgement, OptionalLong.of(atMs));
    }
}
