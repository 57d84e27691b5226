package io.floorgate.gateway.pickup;

import java.util.List;

/** The store's pickup queue as the pickup stage last committed it. Thread-safe; never blocks. */
public interface PickupQueueQuery {

    /**
     * Every order not handed off yet (READY, ON_THE_WAY, ARRIVED), of every customer, in the order they were first
     * made ready; an immutable list. A step shows here once it is committed, never before, so the queue never shows
     * a step that a failed write undoes.
     */
    List<Order> openOrders();
}
