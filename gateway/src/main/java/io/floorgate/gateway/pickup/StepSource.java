package io.floorgate.gateway.pickup;

import java.util.Locale;

/** What caused a step: the order system, the shopper's app, zone detection, a kiosk, an NFC tap, or staff. */
public enum StepSource {
    SYSTEM, APP, ZONE, KIOSK, NFC, STAFF;

    /** As stored and as a metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
