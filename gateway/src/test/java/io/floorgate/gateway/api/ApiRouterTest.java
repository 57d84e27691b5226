package io.floorgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.floorgate.config.Sessions;
import io.floorgate.config.StaffRole;
import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.api.ApiRouter.Body;
import io.floorgate.gateway.linking.SessionRegistry;
import io.floorgate.gateway.staff.StaffSession;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.GroupCommitter;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's admission of callers, with a stand-in staff sign-in (a header naming the role) in place of the
 * staff session cookie: a route declares who it admits, and its handler runs only for them.
 */
class ApiRouterTest {

    private static final HttpClient HTTP = RunningGateway.httpClient();

    private static final String SYSTEM_TOKEN = "order-system-token-0123456789abcdef";
    private static final String STAFF_ROLE_HEADER = "X-Test-Staff-Role";

    @TempDir
    Path dataDir;

    private final AtomicReference<StoreConfig> config = new AtomicReference<>();
    private Vertx vertx;
    private Database database;
    private GroupCommitter committer;
    private int port;

    /** Signs a request in as staff member {@code s-1} with the role its test header names. */
    private final StaffAuthenticator staff = request -> Optional.ofNullable(request.getHeader(STAFF_ROLE_HEADER))
            .map(role -> new Caller.Staff(new StaffSession("session-1", "s-1",
                    StaffRole.valueOf(role.toUpperCase(Locale.ROOT)), "csrf-1", 0, 0)));

    @BeforeEach
    void start() throws Exception {
        config.set(withSystemToken(Optional.of(SYSTEM_TOKEN)));
        vertx = Vertx.vertx();
        database = Database.open(dataDir);
        committer = new GroupCommitter(database, 100, 10, Duration.ofMillis(1), false, new SimpleMeterRegistry());
        SessionRegistry sessions = new SessionRegistry(committer, database.sealer(), () -> config.get().sessions(),
                System::currentTimeMillis, new SimpleMeterRegistry());
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        ApiRouter api = new ApiRouter(vertx, new Authorizer(sessions, config::get, staff), metrics,
                new HttpGuard(config.get().limits(), metrics));
        api.route(HttpMethod.GET, "/analytics", Admission.staff(StaffRole.MANAGER), Body.NONE).handler(this::whoCalled);
        api.route(HttpMethod.POST, "/queue/:orderId", Admission.orderSystem().orStaff(StaffRole.ASSOCIATE),
                Body.JSON).handler(this::whoCalled);
        api.route(HttpMethod.GET, "/open", Admission.anyone(), Body.NONE).handler(this::whoCalled);
        api.route(HttpMethod.GET, "/feed", Admission.orderSystem().withTokenInQuery(), Body.NONE)
                .handler(this::whoCalled);
        HttpServer server = RunningGateway.await(vertx.createHttpServer()
                .requestHandler(api.inFrontOf(Router.router(vertx))).listen(0, "127.0.0.1"));
        port = server.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        RunningGateway.await(vertx.close());
        committer.close();
        database.close();
    }

    private static StoreConfig withSystemToken(Optional<String> token) {
        StoreConfig plain = TestStore.config();
        return plain.withSessions(new Sessions(plain.sessions().inactivityTimeout(),
                plain.sessions().rotationPeriod(), token));
    }

    private void whoCalled(io.vertx.ext.web.RoutingContext ctx) {
        Caller caller = ApiRouter.caller(ctx);
        ApiRouter.json(ctx, 200, new JsonObject().put("caller", caller instanceof Caller.Staff member
                ? member.role().name() : caller.getClass().getSimpleName()));
    }

    @Test
    void routeForAnyone_thenTheHandlerSeesAnyoneWhateverTheRequestCarries() {
        assertCaller(send("GET", "/api/v1/open", null, null, null), "Anyone");
        assertCaller(send("GET", "/api/v1/open", "admin", "not-a-token", null), "Anyone");
    }

    @Test
    void staffRoute_whenTheRoleIncludesTheRoutes_thenTheHandlerSeesTheStaffMember() {
        assertCaller(send("GET", "/api/v1/analytics", "manager", null, null), "MANAGER");
        assertCaller(send("GET", "/api/v1/analytics", "admin", null, null), "ADMIN");
    }

    @Test
    void staffRoute_whenTheRoleIsBelowTheRoutes_thenIs403AndTheHandlerDoesNotRun() {
        HttpResponse<String> response = send("GET", "/api/v1/analytics", "associate", null, null);

        assertError(response, 403, "role_forbidden");
    }

    @Test
    void staffRoute_whenNobodyIsSignedIn_thenIs401EvenWithTheOrderSystemsToken() {
        assertError(send("GET", "/api/v1/analytics", null, null, null), 401, "unauthorized");
        assertError(send("GET", "/api/v1/analytics", null, SYSTEM_TOKEN, null), 401, "unauthorized");
    }

    @Test
    void routeForOrderSystemOrStaff_thenAdmitsEitherAndRefusesAStranger() {
        String body = "{}";

        assertCaller(send("POST", "/api/v1/queue/o-1", "associate", null, body), "ASSOCIATE");
        assertCaller(send("POST", "/api/v1/queue/o-1", "associate", "not-the-order-systems-token", body),
                "ASSOCIATE");
        assertCaller(send("POST", "/api/v1/queue/o-1", null, SYSTEM_TOKEN, body), "OrderSystem");
        assertError(send("POST", "/api/v1/queue/o-1", null, "not-the-order-systems-token", body), 401,
                "unauthorized");
        assertError(send("POST", "/api/v1/queue/o-1", null, null, body), 401, "unauthorized");
    }

    @Test
    void routeWithABody_whenTheCallerIsNotAdmitted_thenIs401BeforeTheBodyIsRead() {
        String tooLarge = "{\"x\": \"" + "a".repeat(config.get().limits().httpMaxBodyBytes()) + "\"}";

        assertError(send("POST", "/api/v1/queue/o-1", null, null, tooLarge), 401, "unauthorized");
        assertError(send("POST", "/api/v1/queue/o-1", null, SYSTEM_TOKEN, tooLarge), 413, "body_too_large");
    }

    @Test
    void routeForOrderSystem_whenTheStoreHasNoSystemToken_thenIs503WhateverTheTokenAndNoneIs401() {
        config.set(withSystemToken(Optional.empty()));

        assertError(send("POST", "/api/v1/queue/o-1", null, SYSTEM_TOKEN, "{}"), 503, "system_client_not_configured");
        assertError(send("POST", "/api/v1/queue/o-1", null, null, "{}"), 401, "unauthorized");
        assertCaller(send("POST", "/api/v1/queue/o-1", "associate", null, "{}"), "ASSOCIATE");
    }

    @Test
    void routeForOrderSystem_whenTheAuthorizationHeaderIsNotBearer_thenIs401() {
        HttpResponse<String> response = sendWithHeader("/api/v1/feed", "Basic " + SYSTEM_TOKEN);

        assertError(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer"));
    }

    @Test
    void routeTakingTheTokenInTheQuery_thenTheQueryServesOnlyWithoutAnAuthorizationHeader() {
        assertCaller(send("GET", "/api/v1/feed?token=" + SYSTEM_TOKEN, null, null, null), "OrderSystem");
        assertCaller(send("GET", "/api/v1/feed?token=wrong", null, SYSTEM_TOKEN, null), "OrderSystem");
        assertError(send("GET", "/api/v1/feed?token=" + SYSTEM_TOKEN, null, "wrong", null), 401, "unauthorized");
        assertError(send("GET", "/api/v1/feed?token=", null, null, null), 401, "unauthorized");
    }

    @Test
    void routeNotTakingTheTokenInTheQuery_thenTheQueryIsIgnored() {
        assertError(send("POST", "/api/v1/queue/o-1?token=" + SYSTEM_TOKEN, null, null, "{}"), 401,
                "unauthorized");
    }

    private HttpResponse<String> sendWithHeader(String path, String authorization) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", authorization));
    }

    private HttpResponse<String> send(String method, String path, String staffRole, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", ErrorResponses.JSON);
        }
        if (staffRole != null) {
            request.header(STAFF_ROLE_HEADER, staffRole);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertCaller(HttpResponse<String> response, String caller) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("caller")).isEqualTo(caller);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(new JsonObject(response.body()).getString("error")).isEqualTo(code);
    }
}
