package io.floorgate.gateway.store;

/**
 * The database key is missing, unusable or does not open the database: the gateway refuses to start (and a key
 * command to run) with this message, which says what to do. Never a fresh empty database in place of the real one.
 */
public final class KeyRefused extends Exception {

    public KeyRefused(String message) {
        super(message);
    }

    public KeyRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
