package io.floorgate.gateway.pickup;

import java.util.List;

import io.floorgate.gateway.store.StoreWrite;

/**
 * What else is written with a pickup step: the upstream's live event reporting it, committed in the step's own
 * transaction so that neither is ever stored without the other. Called on the pickup stage's context; must not block.
 */
@FunctionalInterface
public interface PickupEventRows {

    List<StoreWrite> rowsFor(PickupEvent event);
}
