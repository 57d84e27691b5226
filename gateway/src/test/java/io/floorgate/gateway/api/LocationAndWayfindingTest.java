package io.floorgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.linking.SessionRegistry;
import io.floorgate.gateway.location.LocationQuery;
import io.floorgate.gateway.location.Route;
import io.floorgate.gateway.location.ShopperLocation;
import io.floorgate.gateway.location.Wayfinder;
import io.floorgate.gateway.location.ZoneOccupancy;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.GroupCommitter;
import io.floorgate.gateway.privacy.CustomerKeys;
import io.floorgate.gateway.upstream.Pseudonyms;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Location and wayfinding answers, with the location stage replaced by small fakes: the API's part is to
 * authenticate, respect consent and shape the JSON; where shoppers are and how routes run is not its business.
 */
class LocationAndWayfindingTest {

    private static final String SKU = "SKU-1";
    private static final long SINCE_MS = Instant.parse("2026-11-22T10:15:30Z").toEpochMilli();

    @TempDir
    Path dataDir;

    private final Map<String, ShopperLocation> located = new ConcurrentHashMap<>();
    private final List<Optional<String>> routedFrom = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private Database database;
    private GroupCommitter committer;
    private AppClient app;

    private final LocationQuery locations = new LocationQuery() {
        @Override
        public Optional<ShopperLocation> locationOf(String sessionId) {
            return Optional.ofNullable(located.get(sessionId));
        }

        @Override
        public Map<String, ZoneOccupancy> occupancy() {
            return Map.of();
        }
    };

    private final Wayfinder wayfinder = (sku, fromZone) -> {
        routedFrom.add(fromZone);
        return sku.equals(SKU)
                ? Optional.of(new Route(SKU, "Product one", "floor", fromZone.map(List::of).orElse(List.of())))
                : Optional.empty();
    };

    @BeforeEach
    void start() throws Exception {
        StoreConfig config = TestStore.config();
        vertx = Vertx.vertx();
        database = Database.open(dataDir);
        committer = new GroupCommitter(database, 100, 10, Duration.ofMillis(1), false, new SimpleMeterRegistry());
        SessionRegistry sessions = new SessionRegistry(committer, database.sealer(), config::sessions,
                System::currentTimeMillis, new SimpleMeterRegistry());
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        ApiRouter api = new ApiRouter(vertx, new Authorizer(sessions, () -> config, StaffAuthenticator.NONE), metrics,
                new HttpGuard(config.limits(), metrics));
        CustomerKeys customers = new CustomerKeys(dataDir, new Pseudonyms(config.upstream().hashKey()));
        customers.load();
        new ApiRoutes(sessions, locations, wayfinder, () -> config, ApiRoutes.loadOpenApiDocument(), customers)
                .mount(api);
        HttpServer server = RunningGateway.await(vertx.createHttpServer().requestHandler(api.inFrontOf(
                Router.router(vertx))).listen(0, "127.0.0.1"));
        app = new AppClient(server.actualPort());
    }

    @AfterEach
    void stop() throws Exception {
        RunningGateway.await(vertx.close());
        committer.close();
        database.close();
    }

    @Test
    void location_whenTheShopperIsLocated_thenIsZoneNameSinceAndConfidence() {
        AppClient.Session session = app.checkIn(true);
        located.put(session.id(), new ShopperLocation("floor", SINCE_MS, 0.8));

        HttpResponse<String> response = app.get("/api/v1/sessions/" + session.id() + "/location", session.token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject().put("zoneId", "floor")
                .put("zoneName", "Floor").put("since", "2026-11-22T10:15:30Z").put("confidence", 0.8));
    }

    @Test
    void wayfinding_whenTheShopperIsLocated_thenTheRouteStartsInTheirZone() {
        AppClient.Session session = app.checkIn(true);
        located.put(session.id(), new ShopperLocation("floor", SINCE_MS, 0.8));

        HttpResponse<String> response = app.get("/api/v1/wayfinding?sku=" + SKU, session.token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject().put("sku", SKU)
                .put("productName", "Product one").put("productZone", "floor").put("route", List.of("floor")));
        assertThat(routedFrom).containsExactly(Optional.of("floor"));
    }

    @Test
    void wayfinding_withoutLocationConsent_thenTheShoppersZoneIsNotUsedAndTheRouteIsEmpty() {
        AppClient.Session session = app.checkIn(false);
        located.put(session.id(), new ShopperLocation("floor", SINCE_MS, 0.8));

        HttpResponse<String> response = app.get("/api/v1/wayfinding?sku=" + SKU, session.token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getJsonArray("route")).isEmpty();
        assertThat(routedFrom).containsExactly(Optional.empty());
    }
}
