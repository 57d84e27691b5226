package io.floorgate.gateway.api;

import java.time.Instant;
import java.util.OptionalLong;

import io.floorgate.gateway.pickup.Order;
import io.vertx.core.json.JsonObject;

/**
 * A pickup order as the API shows it, in answers and push messages alike ({@code Order} in
 * {@code api/openapi.yaml}): times as ISO-8601 instants, absent until they happen; the linked session only as
 * {@code linked: true}, never its id; the customer only as a short label of their keyed hash, never the reference (the
 * gateway does not keep it).
 */
public final class OrderJson {

    private OrderJson() {
    }

    public static JsonObject of(Order order) {
        JsonObject json = new JsonObject().put("orderId", order.id()).put("state", order.state().name())
                .put("pickupPointId", order.pickupPointId()).put("customer", order.customer().label())
                .put("code", order.code()).put("readyAt", Instant.ofEpochMilli(order.readyAtMs()).toString());
        putTime(json, "onTheWayAt", order.onTheWayAtMs());
        putTime(json, "arrivedAt", order.arrivedAtMs());
        putTime(json, "handedOffAt", order.handedOffAtMs());
        order.etaMinutes().ifPresent(eta -> json.put("etaMinutes", eta));
        order.sessionId().ifPresent(id -> json.put("linked", true));
        return json;
    }

    private static void putTime(JsonObject json, String field, OptionalLong epochMs) {
        epochMs.ifPresent(ms -> json.put(field, Instant.ofEpochMilli(ms).toString()));
    }
}
