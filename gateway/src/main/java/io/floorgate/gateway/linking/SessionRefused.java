package io.floorgate.gateway.linking;

/** A check-in, check-out or consent change that could not be done; nothing was stored. */
public final class SessionRefused extends RuntimeException {

    public enum Reason {
        /** {@link SessionRegistry#MAX_OPEN_SESSIONS} are open already. */
        SESSION_LIMIT,
        /** The commit queue is full; the app may try again shortly. */
        STORAGE_BUSY,
        /** The write failed after the committer's retries. */
        STORAGE_FAILED,
        /** Another change of the session's consent is under way; the app may send its change once that is answered. */
        CONSENT_CHANGING
    }

    private final Reason reason;

    public SessionRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
