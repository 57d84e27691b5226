package io.floorgate.gateway.pickup;

/** The order system's word that an order is ready to collect, as {@code PUT /orders/{orderId}} carries it. */
public record OrderReady(String orderId, String customerRef, String pickupPointId, String code) {
}
