package io.floorgate.gateway.ops;

import java.util.function.BooleanSupplier;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text format). */
public final class HealthAndMetricsRoutes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";

    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;

    /** @param ready true once storage is open and the listeners are bound, false again while stopping */
    public HealthAndMetricsRoutes(PrometheusMeterRegistry registry, BooleanSupplier ready) {
        this.registry = registry;
        this.ready = ready;
    }

    public void mount(Router router) {
        router.get("/health/live").handler(ctx -> status(ctx, true));
        router.get("/health/ready").handler(ctx -> status(ctx, ready.getAsBoolean()));
        router.get("/health").handler(ctx -> status(ctx, ready.getAsBoolean()));
        router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", PROMETHEUS_TEXT)
                .end(registry.scrape()));
    }

    private static void status(RoutingContext ctx, boolean up) {
        ctx.response().setStatusCode(up ? 200 : 503).putHeader("content-type", JSON)
                .end(new JsonObject().put("status", up ? "UP" : "DOWN").encode());
    }
}
