package io.floorgate.gateway.location;

import java.util.Optional;

/** Routes over the store's zone adjacency. Thread-safe; never blocks. */
public interface Wayfinder {

    /** Empty when no product has this sku; otherwise the product's zone and the shortest path from {@code fromZone}. */
    Optional<Route> route(String sku, Optional<String> fromZone);
}
