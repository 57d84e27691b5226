package io.floorgate.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.api.ApiRoutes;
import io.floorgate.gateway.api.PickupRoutes;
import io.floorgate.gateway.config.ConfigWatcher;
import io.floorgate.gateway.ingest.DeviceHealthTracker;
import io.floorgate.gateway.ingest.IngestMetrics;
import io.floorgate.gateway.ingest.IngestServices;
import io.floorgate.gateway.ingest.MqttIngestServer;
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
import io.floorgate.gateway.pickup.PickupStage;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.GroupCommitter;
import io.floorgate.gateway.store.ReplayStateLoader;
import io.floorgate.gateway.store.RetentionSweeper;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running store gateway: storage, the shopper sessions restored from it, the device MQTT server, the HTTP
 * endpoints (health, metrics, the app API) and the configuration watcher, started in that order and stopped in
 * reverse.
 */
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final Duration RETENTION_PERIOD = Duration.ofMinutes(10);

    private final Vertx vertx;
    private final GatewaySettings settings;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<StoreConfig> config;
    private final AdvertisedIdResolver resolver = new AdvertisedIdResolver(System::currentTimeMillis);
    private volatile Wayfinder wayfinder;
    private LocationStage location;
    private String locationDeployment;
    private PickupStage pickup;
    private String pickupDeployment;
    private long resolverTimer = -1;
    private volatile boolean ready;
    private Database database;
    private GroupCommitter committer;
    private SessionRegistry sessions;
    private TouchLinker touches;
    private SessionExpiry sessionExpiry;
    private Buffer openApiDocument;
    private MqttIngestServer mqtt;
    private HttpServer http;
    private ConfigWatcher watcher;
    private long retentionTimer = -1;
    private Future<Void> stopped;
    private int mqttPort;
    private int mqttTlsPort = -1;

    private Gateway(Vertx vertx, GatewaySettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.config = new AtomicReference<>(settings.config());
        this.wayfinder = new ZoneGraphWayfinder(settings.config());
    }

    /** Starts a gateway with the store's own configuration and no file to watch. */
    public static Future<Gateway> start(Vertx vertx, StoreConfig config, Path dataDir) {
        return start(vertx, GatewaySettings.of(config, dataDir));
    }

    public static Future<Gateway> start(Vertx vertx, GatewaySettings settings) {
        Gateway gateway = new Gateway(vertx, settings);
        return gateway.startAll().map(gateway);
    }

    private Future<Void> startAll() {
        StoreConfig store = config.get();
        new JvmMemoryMetrics().bindTo(metrics);
        return vertx.executeBlocking(() -> Database.open(settings.dataDir())).compose(db -> {
            database = db;
            committer = new GroupCommitter(db, store.ingest().queueCapacity(), store.ingest().commitMaxBatch(),
                    store.ingest().commitInterval(), settings.fsyncOnCommit(), metrics);
            location = new LocationStage(resolver, committer, store, System::currentTimeMillis, metrics);
            sessions = new SessionRegistry(committer, () -> config.get().sessions(), System::currentTimeMillis,
                    metrics);
            pickup = new PickupStage(committer, config::get, sessions, System::currentTimeMillis, metrics);
            touches = new TouchLinker(sessions, System::currentTimeMillis, metrics);
            IngestServices services = new IngestServices(vertx, committer, new IngestMetrics(metrics),
                    new DeviceHealthTracker(metrics), location, pickup, touches);
            mqtt = new MqttIngestServer(store, services, new ReplayStateLoader(db));
            SessionTable sessionTable = new SessionTable(db);
            sessionExpiry = new SessionExpiry(vertx, sessions, sessionTable, () -> config.get().retention().sessions());
            return vertx.executeBlocking(() -> {
                db.markAllDevicesOffline();
                openApiDocument = ApiRoutes.loadOpenApiDocument();
                long now = System.currentTimeMillis();
                pickup.restore(new OrderTable(db).restore(now - PickupStage.HANDED_OFF_KEPT_MS));
                return sessionTable.restore(now, store.sessions().inactivityTimeout());
            });
        }).compose(restored -> {
            restoreSessions(restored);
            // After the restore, so that the resolver holds the ids and tokens of the sessions that came back.
            resolver.attach(sessions);
            touches.attach();
            return vertx.deployVerticle(location);
        }).compose(deployment -> {
            locationDeployment = deployment;
            // Only once deployed: the stage hands session ends to its own context.
            sessions.subscribe(location);
            return vertx.deployVerticle(pickup);
        }).compose(deployment -> {
            pickupDeployment = deployment;
            // Only once deployed: the pickup stage hands zone entries and touches to its own context.
            location.subscribe(pickup);
            touches.subscribe(pickup);
            touches.subscribe(location);
            scheduleResolverRefresh();
            return mqtt.listen(store.listeners());
        }).compose(ports -> {
            mqttPort = ports[0];
            mqttTlsPort = ports[1];
            Router router = Router.router(vertx);
            new HealthAndMetricsRoutes(metrics, () -> ready).mount(router);
            new ApiRoutes(sessions, locationQuery(), wayfinder(), config::get, metrics, openApiDocument).mount(router);
            new PickupRoutes(sessions, pickup, touches, config::get, metrics).mount(router);
            return vertx.createHttpServer(new HttpServerOptions().setHost(store.listeners().host()))
                    .requestHandler(router).listen(store.listeners().httpPort());
        }).map(server -> {
            http = server;
            settings.configFile().ifPresent(file -> {
                watcher = new ConfigWatcher(vertx, file, this::applyConfig, metrics);
                watcher.start();
            });
            scheduleRetention(new RetentionSweeper(database, metrics));
            sessionExpiry.start();
            ready = true;
            LOG.info("Floorgate store {} ready: MQTT on {}{}, HTTP on {}, data in {}", store.storeId(), mqttPort,
                    mqttTlsPort > 0 ? " (TLS on " + mqttTlsPort + ")" : "", http.actualPort(), settings.dataDir());
            return null;
        });
    }

    private void restoreSessions(List<StoredSession> restored) {
        sessions.restore(restored);
        if (!restored.isEmpty()) {
            LOG.info("{} shopper session(s) restored", restored.size());
        }
    }

    /** Enforces retention once at start and then every {@link #RETENTION_PERIOD}, on a worker. */
    private void scheduleRetention(RetentionSweeper sweeper) {
        Runnable sweep = () -> vertx.executeBlocking(() -> {
            Instant now = Instant.now();
            sweeper.sweepDeviceEvents(config.get().retention().deviceEvents(), now);
            sweeper.sweepOrders(config.get().retention().orders(), now);
            sweeper.sweepTouches(config.get().retention().touches(), now);
            return sweeper.sweepZoneVisits(config.get().retention().zoneVisits(), now);
        }, false)
                .onFailure(e -> LOG.warn("Retention sweep failed: {}", e.toString()));
        sweep.run();
        retentionTimer = vertx.setPeriodic(RETENTION_PERIOD.toMillis(), id -> sweep.run());
    }

    /**
     * Rolls the resolver's advertised ids and the touch tokens at slot boundaries on a worker: HMACs for thousands
     * of sessions never run on an event loop.
     */
    private void scheduleResolverRefresh() {
        resolverTimer = vertx.setPeriodic(AdvertisedIdResolver.REFRESH_INTERVAL_MS, id -> vertx.executeBlocking(() -> {
            resolver.refresh();
            touches.refresh();
            return null;
        }).onFailure(e -> LOG.warn("Advertised id refresh failed: {}", e.toString())));
    }

    private void applyConfig(StoreConfig next) {
        StoreConfig previous = config.getAndSet(next);
        wayfinder = new ZoneGraphWayfinder(next);
        location.reconfigure(next);
        if (!previous.listeners().equals(next.listeners()) || !previous.ingest().equals(next.ingest())
                || !previous.storeId().equals(next.storeId())) {
            LOG.warn("Listener, ingest and store id changes take effect at the next restart; the rest is applied now");
        }
        mqtt.applyConfig(next);
    }

    /**
     * Graceful stop: refuse new connections, commit and acknowledge what is in flight, then close
     * connections, listeners and storage.
     */
    public synchronized Future<Void> stop() {
        if (stopped == null) {
            stopped = stopAll();
        }
        return stopped;
    }

    private Future<Void> stopAll() {
        ready = false;
        if (watcher != null) {
            watcher.stop();
        }
        mqtt.stopAccepting();
        vertx.cancelTimer(retentionTimer);
        vertx.cancelTimer(resolverTimer);
        sessionExpiry.stop();
        return vertx.executeBlocking(() -> committer.drain().get())
                .compose(v -> mqtt.close())
                .compose(v -> http.close())
                .compose(v -> vertx.undeploy(locationDeployment))
                .compose(v -> vertx.undeploy(pickupDeployment))
                .compose(v -> vertx.executeBlocking(() -> {
                    committer.close();
                    database.close();
                    return null;
                }))
                .onSuccess(v -> LOG.info("Floorgate stopped"))
                .mapEmpty();
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
        return database.jdbcUrl();
    }

    /** The shopper sessions open now, for the stages that link sightings and orders to them. */
    public SessionDirectory sessions() {
        return sessions;
    }

    public StoreConfig config() {
        return config.get();
    }

    /** Where linked shoppers are and how full each zone is, for the API and the ops page. */
    public LocationQuery locationQuery() {
        return location;
    }

    /** Routes over the current configuration's zones; follows configuration reloads. */
    public Wayfinder wayfinder() {
        return (sku, fromZone) -> wayfinder.route(sku, fromZone);
    }

}
