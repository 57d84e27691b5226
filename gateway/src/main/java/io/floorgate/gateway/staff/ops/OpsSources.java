package io.floorgate.gateway.staff.ops;

import java.util.function.Supplier;

import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.ingest.DeviceHealthQuery;
import io.floorgate.gateway.location.LocationQuery;
import io.floorgate.gateway.pickup.PickupQueueQuery;

/**
 * The read views the ops page shows, each owned by its stage; the page never reaches into a stage's state. All are
 * thread-safe and never block.
 *
 * @param config the configuration in force (it may be reloaded): the floor plan, zones and devices
 */
public record OpsSources(Supplier<StoreConfig> config, LocationQuery location, DeviceHealthQuery devices,
                         PickupQueueQuery queue, OpsAlerts alerts) {
}
