package io.floorgate.gateway.store;

import java.util.Optional;

/**
 * Why writes handed to {@link GroupCommitter#commit} were not stored: the committer was too busy to take them (its
 * queue full; nothing was queued), or committing them failed. Either way nothing of them is in the database.
 */
public final class StoreRefused extends Exception {

    private final boolean busy;

    private StoreRefused(boolean busy, String message, Exception cause) {
        super(message, cause, false, false);
        this.busy = busy;
    }

    static StoreRefused queueFull() {
        return new StoreRefused(true, "storage is busy; try again shortly", null);
    }

    static StoreRefused failed(Exception cause) {
        return new StoreRefused(false, cause.getMessage(), cause);
    }

    /** True when nothing was queued because the committer's queue was full: the caller may try again shortly. */
    public boolean busy() {
        return busy;
    }

    /** The refusal behind {@code failure}, when it is one. */
    public static Optional<StoreRefused> of(Throwable failure) {
        return failure instanceof StoreRefused refused ? Optional.of(refused) : Optional.empty();
    }
}
