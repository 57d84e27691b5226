package io.floorgate.gateway.linking;

/**
 * Told of every touch once its row is committed (the pickup stage for arrivals, the shopper's push stream), on the
 * device's ingest event loop: must not block, and should hand what it needs to its own context.
 */
@FunctionalInterface
public interface TouchListener {

    void touched(Touch touch);
}
