package io.floorgate.gateway;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.floorgate.config.StoragePolicy;
import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.alerts.AlertKind;
import io.floorgate.gateway.alerts.AlertStage;
import io.floorgate.gateway.api.ApiRouter;
import io.floorgate.gateway.api.ApiRoutes;
import io.floorgate.gateway.api.Authorizer;
import io.floorgate.gateway.api.HttpGuard;
import io.floorgate.gateway.api.PickupRoutes;
import io.floorgate.gateway.api.PrivacyRoutes;
import io.floorgate.gateway.api.PushStreams;
import io.floorgate.gateway.api.StaffRoutes;
import io.floorgate.gateway.config.ConfigWatcher;
import io.floorgate.gateway.config.ReloadResult;
import io.floorgate.gateway.ingest.DeviceCommands;
import io.floorgate.gateway.ingest.DeviceHealthQuery;
import io.floorgate.gateway.ingest.DeviceHealthTracker;
import io.floorgate.gateway.ingest.IngestMetrics;
import io.floorgate.gateway.ingest.IngestServices;
import io.floorgate.gateway.ingest.MqttIngestServer;
import io.floorgate.gateway.ingest.RejectionQuery;
import io.floorgate.gateway.linking.AdvertisedIdResolver;
import io.floorgate.gateway.linking.SessionDirectory;
import io.floorgate.gateway.linking.SessionExpiry;
import io.floorgate.gateway.linking.SessionRegistry;
import io.floorgate.gateway.linking.SessionTable;
import io.floorgate.gateway.linking.StoredSession;
import io.floorgate.gateway.linking.TouchLinker;
import io.floorgate.gateway.location.LocationQuery;
import io.floorgate.gateway.location.LocationStage;
import io.floorgate.gateway.location.Wayfinder;
import io.floorgate.gateway.location.ZoneGraphWayfinder;
import io.floorgate.gateway.ops.HealthAndMetricsRoutes;
import io.floorgate.gateway.pickup.OrderTable;
import io.floorgate.gateway.pickup.PickupQueueQuery;
import io.floorgate.gateway.pickup.PickupStage;
import io.floorgate.gateway.privacy.AuditLog;
import io.floorgate.gateway.privacy.CustomerKeys;
import io.floorgate.gateway.privacy.CustomerRecords;
import io.floorgate.gateway.privacy.CustomerRequests;
import io.floorgate.gateway.staff.LoginThrottle;
import io.floorgate.gateway.staff.StaffLogin;
import io.floorgate.gateway.staff.StaffRequests;
import io.floorgate.gateway.staff.StaffSessions;
import io.floorgate.gateway.staff.ops.OpsRoutes;
import io.floorgate.gateway.staff.ops.OpsSources;
import io.floorgate.gateway.staff.ops.StageAlerts;
import io.floorgate.gateway.staff.ops.StoreControl;
import io.floorgate.gateway.store.PeriodicBackup;
import io.floorgate.gateway.store.ReplayStateLoader;
import io.floorgate.gateway.store.RetentionSweeper;
import io.floorgate.gateway.store.Storage;
import io.floorgate.gateway.summary.SummaryStage;
import io.floorgate.gateway.upstream.Forwarder;
import io.floorgate.gateway.upstream.LiveEvents;
import io.floorgate.gateway.upstream.Pseudonyms;
import io.floorgate.gateway.upstream.UplinkAlarm;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running store gateway: a list of {@link Component}s started in dependency order and stopped in reverse
 * (storage first and last; the listeners last and first). Each component's start restores what it owns.
 */
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** The subject of the uplink backlog alert: there is one uplink. */
    public static final String UPLINK_SUBJECT = "uplink";

    private final Vertx vertx;
    private final GatewaySettings settings;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<StoreConfig> config;
    private final AdvertisedIdResolver resolver = new AdvertisedIdResolver(System::currentTimeMillis);
    private final Lifecycle lifecycle = new Lifecycle();
    private final AlertStage alerts = new AlertStage(System::currentTimeMillis, metrics);
    private final Storage storage;
    /** Keyed once at start: a reloaded hashKey would make one shopper two to the chain, so it waits for a restart. */
    private final Pseudonyms pseudonyms;
    /** Customer references as the gateway keeps them: keyed hashes, with a key of its own in the data directory. */
    private final CustomerKeys customerKeys;
    private volatile Wayfinder wayfinder;
    private volatile boolean ready;
    /** Null when the gateway was started without a configuration file. */
    private volatile ConfigWatcher configWatcher;
    private LocationStage location;
    private SessionRegistry sessions;
    private PickupStage pickup;
    private IngestMetrics ingestMetrics;
    private DeviceHealthTracker deviceHealth;
    private MqttIngestServer mqtt;
    private HttpServer http;
    private Future<Void> stopped;
    private int mqttPort;
    private int mqttTlsPort = -1;

    private Gateway(Vertx vertx, GatewaySettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.config = new AtomicReference<>(settings.config());
        this.wayfinder = new ZoneGraphWayfinder(settings.config());
        this.pseudonyms = new Pseudonyms(settings.config().upstream().hashKey());
        this.customerKeys = new CustomerKeys(settings.dataDir(), pseudonyms);
        this.storage = new Storage(vertx, settings.dataDir(), settings.databaseKey(), settings.config().ingest(),
                () -> config.get().storage(), settings.fsyncOnCommit(), metrics, List.of(customerKeys.migration()));
    }

    /** Starts a gateway with the store's own configuration and no file to watch. */
    public static Future<Gateway> start(Vertx vertx, StoreConfig config, Path dataDir) {
        return start(vertx, GatewaySettings.of(config, dataDir));
    }

    public static Future<Gateway> start(Vertx vertx, GatewaySettings settings) {
        Gateway gateway = new Gateway(vertx, settings);
        return gateway.startAll().map(gateway)
                .recover(e -> gateway.lifecycle.stop().transform(v -> Future.failedFuture(e)));
    }

    private Future<Void> startAll() {
        new JvmMemoryMetrics().bindTo(metrics);
        // The stages are built once storage is open: they all write through its committer.
        return lifecycle.start(List.of(storage)).compose(v -> lifecycle.start(components()))
                .onSuccess(v -> {
                    ready = true;
                    LOG.info("Floorgate store {} ready: MQTT on {}{}, {} on {}, data in {}", config.get().storeId(),
                            mqttPort, mqttTlsPort > 0 ? " (TLS on " + mqttTlsPort + ")" : "",
                            config.get().listeners().httpTls().isPresent() ? "HTTPS" : "HTTP", http.actualPort(),
                            settings.dataDir());
                });
    }

    /** Everything after storage, in the order it starts. */
    private List<Component> components() {
        StoreConfig store = config.get();
        RetentionSweeper retention = new RetentionSweeper(vertx, storage.database(), metrics);
        location = new LocationStage(resolver, storage.committer(), store, System::currentTimeMillis, metrics);
        // By entry: a visit still open after the whole retention period is as stale as a closed one.
        retention.register("zone_visit", "entered_at", () -> config.get().retention().zoneVisits());
        sessions = new SessionRegistry(storage.committer(), storage.database().sealer(), () -> config.get().sessions(),
                System::currentTimeMillis, metrics);
        retention.register("shopper_session", "ended_at", () -> config.get().retention().sessions());
        LiveEvents liveEvents = new LiveEvents(pseudonyms);
        pickup = new PickupStage(storage.committer(), config::get, sessions, System::currentTimeMillis, metrics,
                liveEvents);
        // By readiness: an order ready longer ago than the whole retention period is done with, whatever its state.
        retention.register("pickup_order", "ready_at", () -> config.get().retention().orders());
        retention.register("pickup_step", "at", () -> config.get().retention().orders());
        TouchLinker touches = new TouchLinker(sessions, System::currentTimeMillis, metrics);
        retention.register("session_touch", "at", () -> config.get().retention().touches());
        ingestMetrics = new IngestMetrics(metrics);
        deviceHealth = new DeviceHealthTracker(config::get, ingestMetrics, metrics);
        SummaryStage summary = new SummaryStage(storage.committer(), config::get, new SummaryStage.Sources(sessions,
                location, deviceHealth::devices, ingestMetrics::rejectedSoFar), pseudonyms, liveEvents,
                System::currentTimeMillis, metrics);
        mqtt = new MqttIngestServer(store, new IngestServices(vertx, storage.committer(), ingestMetrics, deviceHealth,
                location, List.of(pickup, summary), touches, liveEvents), new ReplayStateLoader(storage.database()),
                metrics);
        retention.register("device_event", "received_at", () -> config.get().retention().deviceEvents());
        AuditLog audit = new AuditLog(storage.committer(), storage.database(), System::currentTimeMillis);
        // Retention alone removes audit rows: no route updates or deletes one.
        retention.register("audit_log", "at", () -> config.get().retention().audit());
        CustomerRequests customerRequests = new CustomerRequests(vertx, customerKeys, sessions,
                List.of(location, pickup, summary), storage.committer(), new CustomerRecords(storage.database()), audit,
                liveEvents, System::currentTimeMillis);
        SecureRandom random = new SecureRandom();
        StaffSessions staffSessions = new StaffSessions(() -> config.get().staff(), settings.staffClock(), random,
                metrics);
        StaffLogin login = new StaffLogin(vertx, () -> config.get().staff(), staffSessions, new LoginThrottle(
                () -> config.get().staff().sessions().lockout(), settings.staffClock(), metrics), random, metrics);
        StaffRoutes staff = new StaffRoutes(login, new StaffRequests(staffSessions,
                store.listeners().httpTls().isPresent()), staffSessions);

        List<Component> components = new ArrayList<>();
        // Before anything reads or writes a customer hash: a lost or replaced key file stops the start here.
        components.add(Component.of("customer keys", () -> vertx.executeBlocking(() -> {
            customerKeys.verify(storage.database());
            return null;
        }), () -> Future.<Void>succeededFuture()));
        // First: its start moves the outbox's seq past any restored backup's before a stage writes to the outbox.
        components.add(new Forwarder(vertx, storage.database(), storage.committer(), store, System::currentTimeMillis,
                metrics, new UplinkAlarm() {
                    @Override
                    public void raise(String message) {
                        alerts.raise(AlertKind.UPLINK_BACKLOG, UPLINK_SUBJECT, message);
                    }

                    @Override
                    public void clear() {
                        alerts.clear(AlertKind.UPLINK_BACKLOG, UPLINK_SUBJECT);
                    }
                }, settings.uplinkBacklogAlertAfter()));
        components.add(sessions(touches));
        components.add(new DeployedStage(vertx, "location stage", location, () -> null));
        components.add(new DeployedStage(vertx, "pickup stage", pickup, () -> {
            pickup.restore(new OrderTable(storage.database())
                    .restore(System.currentTimeMillis() - PickupStage.HANDED_OFF_KEPT_MS));
            return null;
        }));
        components.add(new DeployedStage(vertx, "summary stage", summary, () -> null));
        PushStreams pushes = new PushStreams(metrics, session -> staffSessions.check(session.id()).isPresent());
        components.add(Component.of("stage subscriptions", () -> {
            // Only once the stages are deployed: each hands what it is told to its own context.
            sessions.subscribe(location);
            location.subscribe(pickup);
            touches.subscribe(pickup);
            touches.subscribe(location);
            sessions.subscribe(summary);
            location.subscribe(summary);
            pickup.subscribe(summary);
            touches.subscribe(summary);
            // The push streams tell shoppers and staff of committed pickup steps and kiosk scans, and close a
            // shopper's streams when the session ends; the HTTP listener opens them.
            pickup.subscribe(pushes);
            sessions.subscribe(pushes);
            touches.subscribe(pushes);
        }, () -> { }));
        components.add(new DeployedStage(vertx, "alert stage", alerts, () -> null));
        components.add(Component.of("alert subscriptions", () -> {
            deviceHealth.subscribe(alerts);
            ingestMetrics.subscribe(alerts.rejections());
            pickup.subscribe(alerts);
        }, () -> { }));
        components.add(Component.of("staff login workers", login::start, login::stop));
        components.add(httpListener(pushes, staff, audit, new PrivacyRoutes(vertx, customerRequests, audit)));
        components.add(mqttListener());
        settings.configFile().ifPresent(file -> {
            ConfigWatcher watcher = new ConfigWatcher(vertx, file, config::get, this::applyConfig, metrics);
            configWatcher = watcher;
            components.add(Component.of("configuration watcher", watcher::start, watcher::stop));
        });
        components.add(retention);
        return components;
    }

    /**
     * The shopper sessions open at the last stop, their advertised ids and touch tokens (rolled at slot boundaries on
     * a worker: HMACs for thousands of sessions never run on an event loop), and their expiry.
     */
    private Component sessions(TouchLinker touches) {
        SessionTable table = new SessionTable(storage.database());
        SessionExpiry expiry = new SessionExpiry(vertx, sessions, table);
        long[] refreshTimer = {-1};
        return Component.of("shopper sessions", () -> vertx.executeBlocking(() -> table.restore(
                System.currentTimeMillis(), config.get().sessions().inactivityTimeout())).map(restored -> {
                    restoreSessions(restored);
                    // After the restore, so that the resolver holds the ids and tokens of the sessions that came back.
                    resolver.attach(sessions);
                    touches.attach();
                    refreshTimer[0] = vertx.setPeriodic(AdvertisedIdResolver.REFRESH_INTERVAL_MS,
                            id -> vertx.executeBlocking(() -> {
                                resolver.refresh();
                                touches.refresh();
                                return null;
                            }).onFailure(e -> LOG.warn("Advertised id refresh failed: {}", e.toString())));
                    expiry.start();
                    return null;
                }), () -> {
                    vertx.cancelTimer(refreshTimer[0]);
                    expiry.stop();
                    return Future.succeededFuture();
                });
    }

    private void restoreSessions(List<StoredSession> restored) {
        sessions.restore(restored);
        if (!restored.isEmpty()) {
            LOG.info("{} shopper session(s) restored", restored.size());
        }
    }

    /**
     * The HTTP endpoints, over TLS when {@code listeners.httpTls} is configured: the API under /api with its JSON
     * errors, health and metrics beside it; a stop answers what is committing before the listener closes.
     */
    private Component httpListener(PushStreams pushes, StaffRoutes staff, AuditLog audit, PrivacyRoutes privacy) {
        OpsRoutes ops = new OpsRoutes(vertx, new OpsSources(config::get, location, deviceHealth, pickup,
                new StageAlerts(alerts)), staff.authenticator(), new StoreControl(mqtt.commands(), this::reloadConfig),
                storage.database(), metrics);
        return Component.of("HTTP listener", () -> vertx.executeBlocking(ApiRoutes::loadOpenApiDocument)
                .compose(openApi -> {
                    Router others = Router.router(vertx);
                    new HealthAndMetricsRoutes(metrics, () -> ready, storage.health()).mount(others);
                    // Staff are signed in by their session cookie, for every route whose admission names a role.
                    HttpGuard guard = new HttpGuard(config.get().limits(), metrics);
                    ApiRouter api = new ApiRouter(vertx, new Authorizer(sessions, config::get,
                            staff.authenticator()), metrics, guard);
                    new ApiRoutes(sessions, locationQuery(), wayfinder(), config::get, openApi, customerKeys)
                            .mount(api);
                    new PickupRoutes(pickup, pushes, customerKeys, audit).mount(api);
                    privacy.mount(api);
                    staff.mount(api);
                    ops.mount(api, others);
                    return vertx.createHttpServer(guard.bound(httpOptions())).requestHandler(api.inFrontOf(others))
                            .invalidRequestHandler(guard.invalidRequests())
                            .listen(config.get().listeners().httpPort());
                }).map(server -> {
                    http = server;
                    ops.start();
                    return null;
                }), () -> {
                    ops.stop();
                    return storage.drain().compose(v -> http.close());
                });
    }

    private HttpServerOptions httpOptions() {
        HttpServerOptions options = new HttpServerOptions().setHost(config.get().listeners().host());
        config.get().listeners().httpTls().ifPresent(tls -> options.setSsl(true).setKeyCertOptions(
                new PemKeyCertOptions().setCertPath(tls.certPath().toString()).setKeyPath(tls.keyPath().toString())));
        return options;
    }

    /**
     * The devices' MQTT server. At start nobody is connected yet, whatever the last run left in H2; a stop refuses new
     * connections, commits and acknowledges what is in flight, then closes the connections.
     */
    private Component mqttListener() {
        return Component.of("MQTT listener", () -> vertx.executeBlocking(() -> {
            storage.database().markAllDevicesOffline();
            return null;
        }).compose(v -> mqtt.listen(config.get().listeners())).map(ports -> {
            mqttPort = ports[0];
            mqttTlsPort = ports[1];
            return null;
        }), () -> {
            mqtt.stopAccepting();
            return storage.drain().compose(v -> mqtt.close());
        });
    }

    private void applyConfig(StoreConfig next) {
        StoreConfig previous = config.getAndSet(next);
        wayfinder = new ZoneGraphWayfinder(next);
        location.reconfigure(next);
        if (!previous.listeners().equals(next.listeners()) || !previous.ingest().equals(next.ingest())
                || !previous.storeId().equals(next.storeId()) || !sameAtRestart(previous.storage(), next.storage())) {
            LOG.warn("Listener, ingest, store id and storage changes other than storage.minFreeSpace take effect at the"
                    + " next restart; the rest is applied now");
        }
        mqtt.applyConfig(next);
    }

    /** Whether two storage sections differ only in what applies at once, the free-space floor. */
    private static boolean sameAtRestart(StoragePolicy a, StoragePolicy b) {
        return a.onDamaged() == b.onDamaged() && a.backupInterval().equals(b.backupInterval())
                && a.backupsKept() == b.backupsKept();
    }

    /**
     * Graceful stop: refuse new connections, commit and acknowledge what is in flight, then close
     * connections, listeners and storage.
     */
    public synchronized Future<Void> stop() {
        if (stopped == null) {
            ready = false;
            stopped = lifecycle.stop().onSuccess(v -> LOG.info("Floorgate stopped"));
        }
        return stopped;
    }

    public int mqttPort() {
        return mqttPort;
    }

    /** -1 when no TLS listener is configured. */
    public int mqttTlsPort() {
        return mqttTlsPort;
    }

    public int httpPort() {
        return http.actualPort();
    }

    /** The H2 URL; another connection in the same JVM sees the gateway's committed rows. */
    public String jdbcUrl() {
        return storage.database().jdbcUrl();
    }

    /** The shopper sessions open now, for the stages that link sightings and orders to them. */
    public SessionDirectory sessions() {
        return sessions;
    }

    public StoreConfig config() {
        return config.get();
    }

    /** Reads the store file again now and applies it if it changed and is valid: the admin's "reload". */
    public Future<ReloadResult> reloadConfig() {
        ConfigWatcher watcher = configWatcher;
        return watcher == null ? Future.succeededFuture(ReloadResult.refused(List.of(
                "the gateway was started without a configuration file; there is nothing to reload")))
                : watcher.reloadNow();
    }

    /** The periodic backups of the database. */
    public PeriodicBackup backups() {
        return storage.backups();
    }

    /** The store's alerts: read them, acknowledge them, listen to them; raise and clear the uplink backlog. */
    public AlertStage alerts() {
        return alerts;
    }

    /** Identify, reboot and the like, sent to the connected devices; and what they answered. */
    public DeviceCommands deviceCommands() {
        return mqtt.commands();
    }

    /** Where linked shoppers are and how full each zone is, for the API and the ops page. */
    public LocationQuery locationQuery() {
        return location;
    }

    /** Every configured device's health, for the ops page. */
    public DeviceHealthQuery deviceHealthQuery() {
        return deviceHealth;
    }

    /** What ingest refused since start, by device and by reason, for the ops page and the upstream summary. */
    public RejectionQuery rejectionQuery() {
        return ingestMetrics;
    }

    /** Every open pickup order as committed, for the ops page. */
    public PickupQueueQuery pickupQueueQuery() {
        return pickup;
    }

    /** Routes over the current configuration's zones; follows configuration reloads. */
    public Wayfinder wayfinder() {
        return (sku, fromZone) -> wayfinder.route(sku, fromZone);
    }

}
