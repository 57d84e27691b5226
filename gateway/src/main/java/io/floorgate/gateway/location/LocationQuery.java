package io.floorgate.gateway.location;

import java.util.Map;
import java.util.Optional;

/** What the location stage answers about now. Thread-safe; never blocks. */
public interface LocationQuery {

    /** Empty when the session is unknown, has no location consent, or has not been heard yet. */
    Optional<ShopperLocation> locationOf(String sessionId);

    /** Per zone id, every zone of the store (zeros included). */
    Map<String, ZoneOccupancy> occupancy();
}
