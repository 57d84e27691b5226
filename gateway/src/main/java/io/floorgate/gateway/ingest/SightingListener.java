package io.floorgate.gateway.ingest;

import io.floorgate.config.Device;
import io.floorgate.proto.v1.DeviceEvent;

/**
 * Where validated, de-duplicated beacon sightings go: the location stage. Called on an event loop;
 * an implementation must not block.
 */
@FunctionalInterface
public interface SightingListener {

    void onSightings(Device receiver, DeviceEvent event, long receivedAtMs);
}
