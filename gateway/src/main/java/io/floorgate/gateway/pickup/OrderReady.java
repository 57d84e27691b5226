package io.floorgate.gateway.pickup;

import io.floorgate.gateway.linking.CustomerHash;

/**
 * The order system's word that an order is ready to collect, as {@code PUT /orders/{orderId}} carries it; the customer
 * reference already hashed by the API.
 */
public record OrderReady(String orderId, CustomerHash customer, String pickupPointId, String code) {
}
