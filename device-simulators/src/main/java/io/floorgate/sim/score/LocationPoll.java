package io.floorgate.sim.score;

import java.util.Optional;

/**
 * One answer of {@code GET /sessions/{id}/location}, as a shopper's app saw it.
 *
 * @param epochMs         when the answer arrived: the moment the gateway's view was visible
 * @param shopperId       the simulated shopper whose session was asked
 * @param locationConsent whether that shopper consented to be located
 * @param outcome         what the gateway answered
 * @param zoneId          the zone, when located
 */
public record LocationPoll(long epochMs, String shopperId, boolean locationConsent, Outcome outcome,
                           Optional<String> zoneId) {

    /** The answers that matter to the score; anything else is a failed poll. */
    public enum Outcome {
        /** 200 with a zone. */
        LOCATED,
        /** 404 location_unknown: checked in, not located yet. */
        UNKNOWN,
        /** 403 location_consent_missing. */
        REFUSED,
        /** Any other status, or no answer. */
        FAILED
    }

    public static LocationPoll located(long epochMs, String shopperId, String zoneId) {
        return new LocationPoll(epochMs, shopperId, true, Outcome.LOCATED, Optional.of(zoneId));
    }

    public static LocationPoll of(long epochMs, String shopperId, boolean locationConsent, Outcome outcome) {
        return new LocationPoll(epochMs, shopperId, locationConsent, outcome, Optional.empty());
    }
}
