package io.floorgate.gateway.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code floorgate_api_requests_total{route,status}}: every API response by route template and status. Both labels
 * come from fixed sets (the route templates, plus {@code unmatched}; HTTP status codes), never from the request.
 */
final class ApiMetrics {

    static final String UNMATCHED = "unmatched";

    private final MeterRegistry registry;

    ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String route, int status) {
        Counter.builder("floorgate.api.requests").description("API responses by route and status")
                .tag("route", route).tag("status", Integer.toString(status)).register(registry).increment();
    }
}
