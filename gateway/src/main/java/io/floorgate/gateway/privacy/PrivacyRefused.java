package io.floorgate.gateway.privacy;

/** Why an export, an erasure or an audit entry was not done; the API answers 503 for both. */
public final class PrivacyRefused extends RuntimeException {

    public enum Reason {
        /** The commit queue is full: try again shortly. */
        STORAGE_BUSY,
        /** The database could not commit or read. */
        STORAGE_FAILED
    }

    private final Reason reason;

    public PrivacyRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
