package io.floorgate.gateway.pickup;

/** A {@code PUT /orders/{orderId}} answered: the order, and whether this call created it (201) or not (200). */
public record ReadyOutcome(Order order, boolean created) {
}
