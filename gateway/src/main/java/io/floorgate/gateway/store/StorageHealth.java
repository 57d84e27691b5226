package io.floorgate.gateway.store;

import java.util.Optional;

/** A read view of whether storage can commit now, for the readiness check. Safe from any thread. */
public interface StorageHealth {

    /** Why every write is refused now (the database is lost and reconnecting fails), or empty while writes commit. */
    Optional<String> unavailableReason();
}
