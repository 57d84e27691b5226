package io.floorgate.gateway.staff.ops;

import java.util.List;
import java.util.function.Supplier;

import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.location.LocationQuery;
import io.floorgate.gateway.pickup.Order;
import io.vertx.core.Future;

/**
 * The read views the ops page shows, each owned by its stage; the page never reaches into a stage's state.
 *
 * @param config     the configuration in force (it may be reloaded): the floor plan, zones and devices
 * @param devices    every device heard since start; thread-safe, never blocks
 * @param openOrders every order not yet handed off, answered by the pickup stage
 */
public record OpsSources(Supplier<StoreConfig> config, LocationQuery location, Supplier<List<DeviceStatus>> devices,
                         Supplier<Future<List<Order>>> openOrders, OpsAlerts alerts) {
}
