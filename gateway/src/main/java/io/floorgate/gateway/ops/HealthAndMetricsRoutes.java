package io.floorgate.gateway.ops;

import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.floorgate.gateway.store.StorageHealth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text format). Ready means started and
 * able to commit: while storage refuses every write, ready answers 503 with the reason, so that a supervisor or load
 * balancer sees why publishers are being refused.
 */
public final class HealthAndMetricsRoutes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";

    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final StorageHealth storage;

    /** @param ready true once storage is open and the listeners are bound, false again while stopping */
    public HealthAndMetricsRoutes(PrometheusMeterRegistry registry, BooleanSupplier ready, StorageHealth storage) {
        this.registry = registry;
        this.ready = ready;
        this.storage = storage;
    }

    public void mount(Router router) {
        router.get("/health/live").handler(ctx -> status(ctx, true, Optional.empty()));
        router.get("/health/ready").handler(this::readiness);
        router.get("/health").handler(this::readiness);
        router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", PROMETHEUS_TEXT)
                .end(registry.scrape()));
    }

    private void readiness(RoutingContext ctx) {
        Optional<String> unavailable = storage.unavailableReason();
        status(ctx, ready.getAsBoolean() && unavailable.isEmpty(), unavailable);
    }

    private static void status(RoutingContext ctx, boolean up, Optional<String> reason) {
        JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN");
        reason.ifPresent(r -> body.put("reason", r));
        ctx.response().setStatusCode(up ? 200 : 503).putHeader("content-type", JSON).end(body.encode());
    }
}
