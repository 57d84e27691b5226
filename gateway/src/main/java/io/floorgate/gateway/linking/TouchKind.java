package io.floorgate.gateway.linking;

import java.util.Locale;

/**
 * What linked a device event to a session: the session's own token (an NFC tap, a kiosk scan), or an interaction
 * at a kiosk during the kiosk session a scan started.
 */
public enum TouchKind {
    NFC_TAP, KIOSK_SCAN, PRODUCT_LOOKUP, FEEDBACK;

    /** As stored. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Carried the session's touch token, rather than being attributed through a kiosk session. */
    public boolean presentedToken() {
        return this == NFC_TAP || this == KIOSK_SCAN;
    }
}
