package io.floorgate.gateway.store;

/**
 * The gateway will not start on this database: its file is damaged, or missing while backups show an earlier run.
 * The message says what was found and the command that recovers.
 */
public final class DamagedDatabaseException extends Exception {

    public DamagedDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
