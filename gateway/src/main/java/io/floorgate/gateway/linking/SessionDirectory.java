package io.floorgate.gateway.linking;

import java.util.Collection;
import java.util.Optional;

/** The sessions open now, as the linking stage keeps them. Thread-safe; never blocks. */
public interface SessionDirectory {

    Collection<ShopperSession> active();

    Optional<ShopperSession> find(String sessionId);

    /** The listener is told of every session started or ended from now on. */
    void subscribe(SessionListener listener);
}
