package io.floorgate.gateway;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.config.ConfigWatcher;
import io.floorgate.gateway.ingest.DeviceHealthTracker;
import io.floorgate.gateway.ingest.IngestMetrics;
import io.floorgate.gateway.ingest.IngestServices;
import io.floorgate.gateway.ingest.MqttIngestServer;
import io.floorgate.gateway.location.ReceiverActivity;
import io.floorgate.gateway.ops.HealthAndMetricsRoutes;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.GroupCommitter;
import io.floorgate.gateway.store.ReplayStateLoader;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running store gateway: storage, the device MQTT server, the HTTP endpoints and the
 * configuration watcher, started in that order and stopped in reverse.
 */
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final GatewaySettings settings;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<StoreConfig> config;
    private volatile boolean ready;
    private Database database;
    private GroupCommitter committer;
    private MqttIngestServer mqtt;
    private HttpServer http;
    private ConfigWatcher watcher;
    private int mqttPort;
    private int mqttTlsPort = -1;

    private Gateway(Vertx vertx, GatewaySettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.config = new AtomicReference<>(settings.config());
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
            IngestServices services = new IngestServices(vertx, committer, new IngestMetrics(metrics),
                    new DeviceHealthTracker(metrics), new ReceiverActivity(metrics));
            mqtt = new MqttIngestServer(store, services, new ReplayStateLoader(db));
            return vertx.executeBlocking(() -> {
                db.markAllDevicesOffline();
                return null;
            });
        }).compose(v -> mqtt.listen(store.listeners())).compose(ports -> {
            mqttPort = ports[0];
            mqttTlsPort = ports[1];
            Router router = Router.router(vertx);
            new HealthAndMetricsRoutes(metrics, () -> ready).mount(router);
            return vertx.createHttpServer(new HttpServerOptions().setHost(store.listeners().host()))
                    .requestHandler(router).listen(store.listeners().httpPort());
        }).map(server -> {
            http = server;
            settings.configFile().ifPresent(file -> {
                watcher = new ConfigWatcher(vertx, file, this::applyConfig, metrics);
                watcher.start();
            });
            ready = true;
            LOG.info("Floorgate store {} ready: MQTT on {}{}, HTTP on {}, data in {}", store.storeId(), mqttPort,
                    mqttTlsPort > 0 ? " (TLS on " + mqttTlsPort + ")" : "", http.actualPort(), settings.dataDir());
            return null;
        });
    }

    private void applyConfig(StoreConfig next) {
        StoreConfig previous = config.getAndSet(next);
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
    public Future<Void> stop() {
        ready = false;
        if (watcher != null) {
            watcher.stop();
        }
        mqtt.stopAccepting();
        return vertx.executeBlocking(() -> committer.drain().get())
                .compose(v -> mqtt.close())
                .compose(v -> http.close())
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

    public StoreConfig config() {
        return config.get();
    }
}
