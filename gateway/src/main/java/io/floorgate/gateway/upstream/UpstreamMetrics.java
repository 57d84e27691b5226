package io.floorgate.gateway.upstream;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The uplink on {@code /metrics}: floorgate_upstream_connected, _backlog_rows, _backlog_bytes,
 * _backlog_oldest_seconds, _sent_total, _acknowledged_total, _resent_total, _dropped_total{reason} and
 * _bound_eta_seconds.
 */
final class UpstreamMetrics {

    /** The labels of floorgate_upstream_dropped_total, one per bound. */
    enum DropReason {
        ROWS, BYTES, AGE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static DropReason of(String bound) {
            return valueOf(bound.toUpperCase(java.util.Locale.ROOT));
        }
    }

    final Counter sent;
    final Counter acknowledged;
    final Counter resent;
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);

    UpstreamMetrics(MeterRegistry registry, BooleanSupplier connected, Backlog backlog, LongSupplier clock,
                    BoundEta eta) {
        Gauge.builder("floorgate.upstream.connected", () -> connected.getAsBoolean() ? 1 : 0)
                .description("1 while the uplink to the chain's broker is connected").register(registry);
        Gauge.builder("floorgate.upstream.backlog.rows", backlog::rows)
                .description("Messages waiting in the outbox").register(registry);
        Gauge.builder("floorgate.upstream.backlog.bytes", backlog::bytes)
                .description("Body bytes waiting in the outbox").register(registry);
        Gauge.builder("floorgate.upstream.backlog.oldest.seconds",
                        () -> backlog.oldestAgeSeconds(clock.getAsLong()))
                .description("Age of the oldest message waiting (lowest seq), 0 when none").register(registry);
        Gauge.builder("floorgate.upstream.bound.eta.seconds", eta::seconds)
                .description("Seconds until an outbox bound is reached at the current growth; -1 when not growing")
                .register(registry);
        sent = Counter.builder("floorgate.upstream.sent").description("Messages published upstream, resent included")
                .register(registry);
        acknowledged = Counter.builder("floorgate.upstream.acknowledged")
                .description("Messages the broker acknowledged (then deleted from the outbox)").register(registry);
        resent = Counter.builder("floorgate.upstream.resent")
                .description("Messages published again after a reconnect, unacknowledged before")
                .register(registry);
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, Counter.builder("floorgate.upstream.dropped").tag("reason", reason.label())
                    .description("Messages dropped unsent at an outbox bound").register(registry));
        }
    }

    void dropped(BoundDrop drop) {
        dropped.get(DropReason.of(drop.bound())).increment(drop.dropped());
    }
}
