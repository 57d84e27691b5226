package io.floorgate.gateway.alerts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import io.floorgate.gateway.ingest.DeviceHealth;
import io.floorgate.gateway.ingest.DeviceHealthListener;
import io.floorgate.gateway.ingest.RejectionListener;
import io.floorgate.gateway.pickup.PickupEvent;
import io.floorgate.gateway.pickup.PickupListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's open alerts, raised and resolved from what the other stages tell their listeners: device health
 * (offline, low battery), pickup (service-level breaches), ingest's refusals (unknown-device and flood storms), and
 * whoever calls {@link #raise} and {@link #clear} (the upstream forwarder, for its backlog). Staff acknowledge them.
 *
 * <p>Threads: runs on a context of its own. Every input may come from any thread and is moved onto that context; the
 * {@link AlertListener}s are called there; {@link AlertQuery} reads snapshots published after each change.
 */
public final class AlertStage extends VerticleBase implements AlertQuery, DeviceHealthListener, PickupListener {

    private static final Logger LOG = LoggerFactory.getLogger(AlertStage.class);

    /** At or below this a heartbeat's battery raises an alert; above it, the alert resolves (a new battery). */
    public static final int LOW_BATTERY_PCT = 20;
    /** The subject of alerts about the whole store rather than one device or order. */
    public static final String STORE_SUBJECT = "store";

    private final AlertBook book;
    private final RejectionStorms storms = new RejectionStorms();
    private final List<AlertListener> listeners = new CopyOnWriteArrayList<>();
    private volatile List<Alert> openSnapshot = List.of();
    private volatile List<Alert> recentSnapshot = List.of();

    public AlertStage(LongSupplier clockMs, MeterRegistry metrics) {
        this.book = new AlertBook(clockMs, metrics);
    }

    @Override
    public Future<?> start() {
        vertx.setPeriodic(RejectionStorms.WINDOW_MS, id -> closeStormWindow());
        return Future.succeededFuture();
    }

    public void subscribe(AlertListener listener) {
        listeners.add(listener);
    }

    /** Where ingest's refusals are counted; subscribe it to ingest's metrics. */
    public RejectionListener rejections() {
        return storms;
    }

    /** Raises an alert unless one of this kind and subject is open; from any thread. */
    public void raise(AlertKind kind, String subject, String message) {
        onStage(() -> raiseOnStage(kind, subject, message));
    }

    /** Resolves the open alert of this kind and subject, if any; from any thread. */
    public void clear(AlertKind kind, String subject) {
        onStage(() -> clearOnStage(kind, subject));
    }

    /**
     * Records that {@code staffId} saw the alert; the first acknowledgement stands. From any thread; answers on the
     * caller's context.
     *
     * @return the alert after it; empty if there is no such alert
     */
    public Future<Optional<Alert>> acknowledge(String alertId, String staffId) {
        Objects.requireNonNull(staffId, "staffId");
        Context caller = Vertx.currentContext();
        Promise<Optional<Alert>> onStage = Promise.promise();
        onStage(() -> {
            Optional<Alert> alert = book.acknowledge(alertId, staffId);
            changed(alert);
            alert.ifPresent(a -> LOG.info("Alert {} {} ({}) acknowledged by {}", a.kind().label(), a.subject(),
                    a.id(), staffId));
            onStage.complete(alert);
        });
        if (caller == null || caller.equals(context)) {
            return onStage.future();
        }
        Promise<Optional<Alert>> answer = Promise.promise();
        onStage.future().onComplete(result -> caller.runOnContext(v -> answer.handle(result)));
        return answer.future();
    }

    @Override
    public void online(String deviceId, long atMs) {
        clear(AlertKind.DEVICE_OFFLINE, deviceId);
    }

    @Override
    public void offline(String deviceId, long atMs, boolean expected) {
        if (!expected) {
            raise(AlertKind.DEVICE_OFFLINE, deviceId, "Device " + deviceId + " lost its connection");
        }
    }

    @Override
    public void heartbeat(DeviceHealth health) {
        if (health.batteryPct().isEmpty()) {
            return;
        }
        int battery = health.batteryPct().getAsInt();
        if (battery <= LOW_BATTERY_PCT) {
            raise(AlertKind.LOW_BATTERY, health.deviceId(), "Device " + health.deviceId() + " battery at " + battery
                    + " %");
        } else {
            clear(AlertKind.LOW_BATTERY, health.deviceId());
        }
    }

    @Override
    public void onPickup(PickupEvent event) {
        if (event instanceof PickupEvent.ServiceLevelBreached breach) {
            raise(AlertKind.SERVICE_LEVEL_BREACH, breach.order().id(), "Order " + breach.order().id() + " waited "
                    + minutes(breach.waitedMs()) + " at " + breach.order().pickupPointId() + " (service level "
                    + minutes(breach.serviceLevelMs()) + ")");
        } else if (event instanceof PickupEvent.HandedOff handedOff) {
            clear(AlertKind.SERVICE_LEVEL_BREACH, handedOff.order().id());
        }
    }

    private static String minutes(long ms) {
        Duration d = Duration.ofMillis(ms);
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }

    /** Ends the storm window: raises the storms it saw and resolves those that are over. From any thread. */
    void closeStormWindow() {
        onStage(this::closeStormWindowOnStage);
    }

    private void closeStormWindowOnStage() {
        RejectionStorms.Window window = storms.closeWindow();
        if (window.unknownDeviceStorm()) {
            raiseOnStage(AlertKind.UNKNOWN_DEVICE_STORM, STORE_SUBJECT, window.unknownDeviceRefusals()
                    + " connections refused for unknown devices or wrong secrets in "
                    + RejectionStorms.WINDOW_MS / 1000 + " s");
        } else {
            clearOnStage(AlertKind.UNKNOWN_DEVICE_STORM, STORE_SUBJECT);
        }
        for (Map.Entry<String, Long> flood : window.floods().entrySet()) {
            raiseOnStage(AlertKind.FLOOD, flood.getKey(), "Device " + flood.getKey() + " over its publish rate: "
                    + flood.getValue() + " messages refused in " + RejectionStorms.WINDOW_MS / 1000 + " s");
        }
        for (String device : book.openSubjects(AlertKind.FLOOD)) {
            if (!window.floods().containsKey(device)) {
                clearOnStage(AlertKind.FLOOD, device);
            }
        }
    }

    private void onStage(Runnable work) {
        if (Vertx.currentContext() == context) {
            work.run();
        } else {
            context.runOnContext(v -> work.run());
        }
    }

    private void raiseOnStage(AlertKind kind, String subject, String message) {
        Optional<Alert> raised = book.raise(kind, subject, message);
        raised.ifPresent(a -> LOG.info("Alert {} {}: {}", kind.label(), subject, message));
        changed(raised);
    }

    private void clearOnStage(AlertKind kind, String subject) {
        Optional<Alert> resolved = book.clear(kind, subject);
        resolved.ifPresent(a -> LOG.info("Alert {} {} resolved", kind.label(), subject));
        changed(resolved);
    }

    /** Publishes the snapshots, then tells the listeners: a listener reading the query sees the change. */
    private void changed(Optional<Alert> alert) {
        if (alert.isEmpty()) {
            return;
        }
        openSnapshot = book.open();
        recentSnapshot = book.recent();
        for (AlertListener listener : listeners) {
            listener.onAlert(alert.get());
        }
    }

    @Override
    public List<Alert> open() {
        return openSnapshot;
    }

    @Override
    public List<Alert> recent() {
        return recentSnapshot;
    }

    @Override
    public Optional<Alert> alert(String id) {
        return open().stream().filter(a -> a.id().equals(id)).findFirst()
                .or(() -> recent().stream().filter(a -> a.id().equals(id)).findFirst());
    }
}
