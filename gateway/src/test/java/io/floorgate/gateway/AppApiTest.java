package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The app API's answers to good and bad requests, over real HTTP: each refusal has its status and a JSON error
 * body, never an HTML page. One gateway serves the whole class: no test here changes what another sees.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppApiTest {

    private static final String SESSIONS = "/api/v1/sessions";
    private static final String JSON = "application/json";

    private RunningGateway gateway;
    private AppClient app;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        gateway = RunningGateway.start(TestStore.config(), dataDir);
        app = new AppClient(gateway);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void checkIn_whenBodyIsNotJson_thenIs400MalformedJson() {
        assertError(app.post(SESSIONS, JSON, "{\"storeId\": "), 400, "malformed_json");
        assertError(app.post(SESSIONS, JSON, ""), 400, "malformed_json");
    }

    @Test
    void checkIn_whenBodyIsJsonButNotAnObject_thenIs400InvalidRequest() {
        assertError(app.post(SESSIONS, JSON, "[1, 2]"), 400, "invalid_request");
    }

    @Test
    void checkIn_whenAFieldHasTheWrongType_thenIs400NamingTheField() {
        String body = new JsonObject(AppClient.checkInBody(true))
                .put("consent", new JsonObject().put("location", "yes").put("analytics", false)).encode();

        JsonObject error = assertError(app.post(SESSIONS, JSON, body), 400, "invalid_request");

        assertThat(error.getString("message")).contains("consent.location");
        JsonObject numeric = new JsonObject(AppClient.checkInBody(true)).put("appInstanceId", 42);
        assertThat(assertError(app.post(SESSIONS, JSON, numeric.encode()), 400, "invalid_request")
                .getString("message")).contains("appInstanceId");
    }

    @Test
    void checkIn_whenARequiredFieldIsMissing_thenIs400NamingTheField() {
        JsonObject body = new JsonObject(AppClient.checkInBody(true));
        body.remove("appInstanceId");

        JsonObject error = assertError(app.post(SESSIONS, JSON, body.encode()), 400, "invalid_request");

        assertThat(error.getString("message")).contains("appInstanceId").contains("required");
        JsonObject noConsent = new JsonObject(AppClient.checkInBody(true));
        noConsent.remove("consent");
        assertThat(assertError(app.post(SESSIONS, JSON, noConsent.encode()), 400, "invalid_request")
                .getString("message")).contains("consent");
    }

    @Test
    void checkIn_whenTheStoreIsAnother_thenIs404StoreNotFound() {
        String body = new JsonObject(AppClient.checkInBody(true)).put("storeId", "another-store").encode();

        assertError(app.post(SESSIONS, JSON, body), 404, "store_not_found");
    }

    @Test
    void checkIn_whenBodyIsLargerThanTheLimit_thenIs413() {
        String body = new JsonObject(AppClient.checkInBody(true)).put("padding", "x".repeat(17 * 1024)).encode();

        assertError(app.post(SESSIONS, JSON, body), 413, "body_too_large");
    }

    @Test
    void checkIn_whenContentTypeIsNotJson_thenIs415() {
        assertError(app.post(SESSIONS, "text/plain", AppClient.checkInBody(true)), 415, "unsupported_media_type");
    }

    @Test
    void location_whenTokenIsMissingOrWrong_thenIs401WithABearerChallenge() {
        AppClient.Session session = app.checkIn(true);
        String path = SESSIONS + "/" + session.id() + "/location";

        for (HttpResponse<String> response : new HttpResponse[] {app.get(path, null), app.get(path, "not-the-token")}) {
            assertError(response, 401, "unauthorized");
            assertThat(response.headers().firstValue("www-authenticate")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Bearer"));
        }
    }

    @Test
    void checkOut_withAnotherSessionsToken_thenIs401AndTheSessionStaysOpen() {
        AppClient.Session mine = app.checkIn(true);
        AppClient.Session theirs = app.checkIn(true);

        assertError(app.delete(SESSIONS + "/" + mine.id(), theirs.token()), 401, "unauthorized");

        assertThat(gateway.gateway().sessions().find(mine.id())).isPresent();
    }

    @Test
    void location_whenTheSessionIsUnknown_thenIs404SessionNotFound() {
        AppClient.Session session = app.checkIn(true);

        assertError(app.get(SESSIONS + "/0123456789abcdef0123456789abcdef/location", session.token()), 404,
                "session_not_found");
    }

    @Test
    void location_withoutLocationConsent_thenIs403() {
        AppClient.Session session = app.checkIn(false);

        assertError(app.get(SESSIONS + "/" + session.id() + "/location", session.token()), 403,
                "location_consent_missing");
    }

    @Test
    void location_whenNotLocatedYet_thenIs404LocationUnknown() {
        AppClient.Session session = app.checkIn(true);

        assertError(app.get(SESSIONS + "/" + session.id() + "/location", session.token()), 404, "location_unknown");
    }

    @Test
    void wayfinding_whenSkuIsUnknownOrMissing_thenIs404Or400() {
        AppClient.Session session = app.checkIn(true);

        assertError(app.get("/api/v1/wayfinding?sku=NO-SUCH-SKU", session.token()), 404, "product_not_found");
        assertError(app.get("/api/v1/wayfinding", session.token()), 400, "sku_missing");
        assertError(app.get("/api/v1/wayfinding?sku=NO-SUCH-SKU", "not-a-session-token"), 401, "unauthorized");
    }

    @Test
    void unknownRoute_underApi_thenIs404NotFoundAsJson() {
        assertError(app.get("/api/v1/nothing-here", null), 404, "not_found");
        assertError(app.get("/api/nothing-here", null), 404, "not_found");
    }

    @Test
    void unknownRoute_outsideApi_thenIs404ThatIsNotJson() {
        HttpResponse<String> response = app.get("/nothing-here", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).as("a browser's page, not an API answer")
                .hasValueSatisfying(type -> assertThat(type).doesNotContain(JSON).startsWith("text/html"));
    }

    @Test
    void wrongMethod_thenIs405AsJson() {
        assertError(app.method("PUT", SESSIONS), 405, "method_not_allowed");
        assertError(app.method("POST", "/api/v1/wayfinding"), 405, "method_not_allowed");
    }

    @Test
    void openApi_whenFetched_thenIsYamlListingEveryPathServed() {
        HttpResponse<String> response = app.get("/api/v1/openapi.yaml", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("application/yaml");
        Map<String, Object> document = new Yaml().load(response.body());
        assertThat(document.get("openapi").toString()).startsWith("3.0");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        assertThat(paths).containsOnlyKeys("/sessions", "/sessions/{sessionId}", "/sessions/{sessionId}/location",
                "/sessions/{sessionId}/consent", "/privacy", "/wayfinding", "/openapi.yaml", "/orders/{orderId}", "/orders/{orderId}/handoff",
                "/orders/{orderId}/coming",
                "/sessions/{sessionId}/orders/{orderId}", "/sessions/{sessionId}/orders/{orderId}/on-my-way",
                "/sessions/{sessionId}/orders/{orderId}/arrived", "/sessions/{sessionId}/stream", "/staff/stream",
                "/staff/login", "/staff/logout", "/staff/me", "/staff/sessions", "/privacy/customers/{ref}", "/audit");
        assertThat(paths.get("/sessions")).containsKey("post");
        assertThat(paths.get("/sessions/{sessionId}")).containsKey("delete");
        assertThat(paths.get("/sessions/{sessionId}/location")).containsKey("get");
        assertThat(paths.get("/sessions/{sessionId}/consent")).containsKey("patch");
        assertThat(paths.get("/privacy")).containsKey("get");
        assertThat(paths.get("/wayfinding")).containsKey("get");
        assertThat(paths.get("/orders/{orderId}")).containsKey("put");
        assertThat(paths.get("/sessions/{sessionId}/stream")).containsKey("get");
    }

    @Test
    void metrics_countEveryApiResponseByRouteAndStatus() {
        double before = gateway.metric("floorgate_api_requests_total", "route", "POST /api/v1/sessions",
                "status", "201");
        double unmatchedBefore = gateway.metric("floorgate_api_requests_total", "route", "unmatched", "status", "404");

        app.checkIn(true);
        app.get("/api/v1/nothing-here", null);

        assertThat(gateway.metric("floorgate_api_requests_total", "route", "POST /api/v1/sessions", "status", "201"))
                .isEqualTo(before + 1);
        assertThat(gateway.metric("floorgate_api_requests_total", "route", "unmatched", "status", "404"))
                .isEqualTo(unmatchedBefore + 1);
    }

    private static JsonObject assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).as("content type").contains(JSON);
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("error")).isEqualTo(code);
        assertThat(body.getString("message")).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        return body;
    }
}
