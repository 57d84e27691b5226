package io.floorgate.gateway.pickup;

/** A pickup request the stage refused; the API maps the reason to a status and an error code. */
public final class PickupRefused extends RuntimeException {

    public enum Reason { UNKNOWN_ORDER, UNKNOWN_PICKUP_POINT, NOT_YOUR_ORDER, INVALID_TRANSITION, ORDER_LIMIT,
        STORAGE_BUSY, STORAGE_FAILED }

    private final Reason reason;

    PickupRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
