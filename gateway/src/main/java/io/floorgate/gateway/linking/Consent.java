package io.floorgate.gateway.linking;

/**
 * What a shopper may agree to, at check-in and at any time during the session
 * ({@code PATCH /api/v1/sessions/{id}/consent}). Each is given or withdrawn on its own.
 */
public enum Consent {
    /** To be located: the app's rotating ids resolve to the session, zones are decided and visits stored. */
    LOCATION("location"),
    /** To count, pseudonymized, in the per-shopper records of the upstream summaries; and feedback to be linked. */
    ANALYTICS("analytics");

    private final String field;

    Consent(String field) {
        this.field = field;
    }

    /** Its name in the API's JSON. */
    public String field() {
        return field;
    }
}
