package io.floorgate.gateway.pickup;

/** Where a pickup order is: READY → (ON_THE_WAY) → ARRIVED → HANDED_OFF. */
public enum OrderState {
    READY, ON_THE_WAY, ARRIVED, HANDED_OFF;

    /** Before the shopper is known to be in the store: an arrival may still come. */
    boolean awaitsArrival() {
        return this == READY || this == ON_THE_WAY;
    }
}
