package io.floorgate.gateway.alerts;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The open alerts, one per kind and subject, and the recently resolved ones. Raising what is already open changes
 * nothing; clearing what is not open changes nothing. Each change returns the alert as it is after it.
 *
 * <p>Bounded: at {@link #MAX_OPEN} open alerts a new one is not raised (those staff already see are kept) and is
 * counted in {@code floorgate_alerts_dropped_total{reason="open_full"}}; beyond {@link #RECENT_KEPT} resolved alerts
 * the oldest resolved is forgotten and counted with {@code reason="recent_full"}.
 *
 * <p>Not thread-safe: owned by the {@link AlertStage}'s context.
 */
final class AlertBook {

    /** Far more than a store's devices and waiting orders together. */
    static final int MAX_OPEN = 1_000;
    static final int RECENT_KEPT = 200;

    private record Key(AlertKind kind, String subject) {
    }

    private final LongSupplier clockMs;
    private final Map<Key, Alert> open = new LinkedHashMap<>();
    private final Deque<Alert> recent = new ArrayDeque<>();
    private final MeterRegistry metrics;
    private final Counter droppedOpenFull;
    private final Counter droppedRecentFull;

    AlertBook(LongSupplier clockMs, MeterRegistry metrics) {
        this.clockMs = clockMs;
        this.metrics = metrics;
        this.droppedOpenFull = dropped("open_full");
        this.droppedRecentFull = dropped("recent_full");
    }

    private Counter dropped(String reason) {
        return Counter.builder("floorgate.alerts.dropped").tag("reason", reason)
                .description("Alerts not raised because too many were open, or resolved ones forgotten")
                .register(metrics);
    }

    /** @return the new alert; empty if one of this kind and subject is open already, or too many are open */
    Optional<Alert> raise(AlertKind kind, String subject, String message) {
        Key key = new Key(kind, subject);
        if (open.containsKey(key)) {
            return Optional.empty();
        }
        if (open.size() >= MAX_OPEN) {
            droppedOpenFull.increment();
            return Optional.empty();
        }
        Alert alert = new Alert(UUID.randomUUID().toString(), kind, subject, message, clockMs.getAsLong(),
                Optional.empty(), OptionalLong.empty());
        open.put(key, alert);
        Counter.builder("floorgate.alerts.raised").tag("kind", kind.label()).description("Alerts raised")
                .register(metrics).increment();
        return Optional.of(alert);
    }

    /** @return the resolved alert; empty if none of this kind and subject was open */
    Optional<Alert> clear(AlertKind kind, String subject) {
        Alert alert = open.remove(new Key(kind, subject));
        if (alert == null) {
            return Optional.empty();
        }
        Alert resolved = alert.resolved(clockMs.getAsLong());
        if (recent.size() >= RECENT_KEPT) {
            recent.removeLast();
            droppedRecentFull.increment();
        }
        recent.addFirst(resolved);
        return Optional.of(resolved);
    }

    /**
     * Records that a member of staff saw the alert, open or recent. The first acknowledgement stands.
     *
     * @return the alert after it; empty if there is no such alert (any more)
     */
    Optional<Alert> acknowledge(String alertId, String staffId) {
        for (Map.Entry<Key, Alert> e : open.entrySet()) {
            if (e.getValue().id().equals(alertId)) {
                e.setValue(acknowledgedOnce(e.getValue(), staffId));
                return Optional.of(e.getValue());
            }
        }
        List<Alert> resolved = new ArrayList<>(recent);
        for (int i = 0; i < resolved.size(); i++) {
            if (resolved.get(i).id().equals(alertId)) {
                resolved.set(i, acknowledgedOnce(resolved.get(i), staffId));
                recent.clear();
                recent.addAll(resolved);
                return Optional.of(resolved.get(i));
            }
        }
        return Optional.empty();
    }

    private Alert acknowledgedOnce(Alert alert, String staffId) {
        return alert.acknowledgement().isPresent() ? alert : alert.acknowledged(staffId, clockMs.getAsLong());
    }

    /** The open alerts of one kind, e.g. to clear those whose condition is over. */
    List<String> openSubjects(AlertKind kind) {
        return open.keySet().stream().filter(k -> k.kind() == kind).map(Key::subject).toList();
    }

    List<Alert> open() {
        return List.copyOf(open.values());
    }

    List<Alert> recent() {
        return List.copyOf(recent);
    }
}
