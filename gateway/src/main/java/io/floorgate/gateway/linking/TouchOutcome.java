package io.floorgate.gateway.linking;

/** What {@link TouchLinker#classify} made of an NFC tap or kiosk interaction. */
public sealed interface TouchOutcome {

    /** No session involved: the event goes its usual way (stored raw; the pickup stage reads order codes). */
    record NotATouch() implements TouchOutcome {
    }

    /** A session token that resolves to no open session: counted and dropped, nothing about it is kept. */
    record UnknownToken() implements TouchOutcome {
    }

    /** Linked to a session: stored raw and as a {@link SessionTouchRow}. */
    record Linked(Touch touch) implements TouchOutcome {
    }
}
