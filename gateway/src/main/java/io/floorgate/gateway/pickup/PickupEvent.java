package io.floorgate.gateway.pickup;

/** What the pickup stage tells its listeners (the push streams) once a step is committed. */
public sealed interface PickupEvent {

    Order order();

    /** The order system made the order ready. */
    record Ready(Order order) implements PickupEvent {
    }

    /** The shopper arrived; staff should go to the pickup point now. */
    record Arrived(Order order, StepSource source) implements PickupEvent {
    }

    /** The order was handed off after waiting {@code waitMs} since arrival. */
    record HandedOff(Order order, StepSource source, long waitMs) implements PickupEvent {
    }

    /** The shopper has waited longer than the service level (raised once per order). */
    record ServiceLevelBreached(Order order, long waitedMs, long serviceLevelMs) implements PickupEvent {
    }

    /** Staff said they are on their way to the shopper (from the ops page); nothing was stored. */
    record StaffComing(Order order) implements PickupEvent {
    }
}
