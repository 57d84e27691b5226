package io.floorgate.gateway.pickup;

/** Told of every committed pickup step, on the pickup stage's context; must not block. */
@FunctionalInterface
public interface PickupListener {

    void onPickup(PickupEvent event);
}
