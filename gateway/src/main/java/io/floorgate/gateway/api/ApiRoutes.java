package io.floorgate.gateway.api;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.floorgate.config.StoreConfig;
import io.floorgate.config.Zone;
import io.floorgate.gateway.api.ApiRouter.Body;
import io.floorgate.gateway.linking.CheckIn;
import io.floorgate.gateway.linking.CheckInRequest;
import io.floorgate.gateway.linking.Consent;
import io.floorgate.gateway.linking.Customer;
import io.floorgate.gateway.linking.SessionRefused;
import io.floorgate.gateway.linking.SessionRegistry;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.linking.TouchTokens;
import io.floorgate.gateway.location.LocationQuery;
import io.floorgate.gateway.location.Route;
import io.floorgate.gateway.location.ShopperLocation;
import io.floorgate.gateway.location.Wayfinder;
import io.floorgate.gateway.privacy.CustomerKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The shopper app's HTTP API under {@value ApiRouter#PREFIX}, as {@code api/openapi.yaml} describes it: check in, check out,
 * consent changes, location, wayfinding, the privacy notice, and the OpenAPI document itself.
 *
 * <p>Threads: every handler runs on the event loop and never blocks; sessions, locations and routes are answered
 * from memory, and a check-in or check-out answers only once the group committer has committed its row.
 *
 * <p>Unknown and ended sessions: a request for a session that is not open answers 404 {@code session_not_found}
 * whether the session never existed, was checked out or expired. It is asked only with a bearer token present, and
 * session ids are 128 random bits, so telling "no such session" from "wrong token" tells a caller nothing it could
 * use; while saying "expired" would tell a stranger holding an old id that its owner was here.
 */
public final class ApiRoutes {

    static final String OPENAPI_RESOURCE = "/api/openapi.yaml";

    /** The longest app instance id or customer reference taken; the columns are this wide. */
    private static final int MAX_REFERENCE_LENGTH = 128;
    private static final int MAX_STORE_ID_LENGTH = 64;
    /** What the app is told about advertised ids; the resolver derives them the same way. */
    private static final int ADVERTISED_ID_BYTES = 16;
    private static final String ID_DERIVATION =
            "HMAC-SHA256(key, slot as 8-byte big-endian)[0..16], slot = floor(epochMs / periodMs)";
    /** What the app is told about touch tokens; {@link TouchTokens} derives them the same way. */
    private static final String TOUCH_DERIVATION = "HMAC-SHA256(key, \"" + TouchTokens.LABEL_TEXT
            + "\" || slot as 8-byte big-endian)[0..16], slot = floor(epochMs / periodMs)";

    /** The consents a change may name, by their JSON names. */
    private static final List<String> CONSENT_FIELDS = Arrays.stream(Consent.values()).map(Consent::field).toList();

    private final SessionRegistry sessions;
    private final LocationQuery locations;
    private final Wayfinder wayfinder;
    private final Supplier<StoreConfig> config;
    private final Buffer openApiDocument;
    private final CustomerKeys customers;

    /**
     * @param config          the configuration in force (it may be reloaded)
     * @param openApiDocument from {@link #loadOpenApiDocument()}, read once off the event loop
     */
    public ApiRoutes(SessionRegistry sessions, LocationQuery locations, Wayfinder wayfinder,
                     Supplier<StoreConfig> config, Buffer openApiDocument, CustomerKeys customers) {
        this.customers = customers;
        this.sessions = sessions;
        this.locations = locations;
        this.wayfinder = wayfinder;
        this.config = config;
        this.openApiDocument = openApiDocument;
    }

    /** Blocking: reads the OpenAPI document shipped in the jar. */
    public static Buffer loadOpenApiDocument() throws IOException {
        try (InputStream in = ApiRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IOException("OpenAPI document missing from the jar: " + OPENAPI_RESOURCE);
            }
            return Buffer.buffer(in.readAllBytes());
        }
    }

    /** Registers the routes; their counting, authentication and error answers are the router's. */
    public void mount(ApiRouter api) {
        api.route(HttpMethod.POST, "/sessions", Admission.anyone(), Body.JSON).handler(this::checkIn);
        api.route(HttpMethod.DELETE, "/sessions/:sessionId", Admission.sessionInPath(), Body.NONE)
                .handler(this::checkOut);
        api.route(HttpMethod.PATCH, "/sessions/:sessionId/consent", Admission.sessionInPath(), Body.JSON)
                .handler(this::changeConsent);
        api.route(HttpMethod.GET, "/sessions/:sessionId/location", Admission.sessionInPath(), Body.NONE)
                .handler(this::location);
        api.route(HttpMethod.GET, "/privacy", Admission.anyone(), Body.NONE)
                .handler(ctx -> ApiRouter.json(ctx, 200, PrivacyNotice.of(config.get())));
        api.route(HttpMethod.GET, "/wayfinding", Admission.anySession(), Body.NONE).handler(this::wayfinding);
        api.route(HttpMethod.GET, "/openapi.yaml", Admission.anyone(), Body.NONE).handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml").end(openApiDocument));
    }

    private void checkIn(RoutingContext ctx) {
        JsonBody body = ApiRouter.body(ctx);
        String storeId = body.requiredText("storeId", MAX_STORE_ID_LENGTH);
        String appInstance = body.requiredText("appInstanceId", MAX_REFERENCE_LENGTH);
        // Hashed at once: the reference itself is neither kept nor stored.
        Optional<Customer> customer = body.optionalText("customerRef", MAX_REFERENCE_LENGTH).map(customers::customer);
        JsonBody consent = body.requiredObject("consent");
        boolean location = consent.requiredBoolean("location");
        boolean analytics = consent.requiredBoolean("analytics");
        StoreConfig store = config.get();
        if (!storeId.equals(store.storeId())) {
            throw new ApiError(404, "store_not_found", "this gateway serves store " + store.storeId());
        }
        sessions.checkIn(new CheckInRequest(appInstance, customer, location, analytics))
                .onSuccess(checkIn -> ctx.response().setStatusCode(201)
                        .putHeader(HttpHeaders.CONTENT_TYPE, ErrorResponses.JSON)
                        .putHeader(HttpHeaders.LOCATION, ApiRouter.PREFIX + "/sessions/" + checkIn.session().id())
                        .end(checkedIn(checkIn, store).encode()))
                .onFailure(e -> ctx.fail(refusal(e)));
    }

    private static JsonObject checkedIn(CheckIn checkIn, StoreConfig store) {
        ShopperSession session = checkIn.session();
        return new JsonObject()
                .put("sessionId", session.id())
                .put("token", checkIn.token())
                .put("advertising", new JsonObject()
                        .put("key", Base64.getEncoder().encodeToString(session.advertisingKey()))
                        .put("rotationPeriodSeconds", session.rotationPeriod().toSeconds())
                        .put("idBytes", ADVERTISED_ID_BYTES)
                        .put("derivation", ID_DERIVATION))
                .put("touch", new JsonObject()
                        .put("tokenBytes", TouchTokens.TOKEN_BYTES)
                        .put("derivation", TOUCH_DERIVATION))
                .put("expiresAfterSeconds", store.sessions().inactivityTimeout().toSeconds());
    }

    private void checkOut(RoutingContext ctx) {
        String sessionId = ApiRouter.shopper(ctx).id();
        sessions.checkOut(sessionId).onSuccess(ended -> {
            if (ended) {
                ctx.response().setStatusCode(204).end();
            } else {
                ctx.fail(ApiError.sessionNotFound());
            }
        }).onFailure(e -> ctx.fail(refusal(e)));
    }

    /**
     * Gives or withdraws consents; answers once the change is committed (a withdrawal is in effect before that, see
     * {@link SessionRegistry#changeConsent}). An unknown consent is refused rather than ignored: the shopper must not
     * believe withdrawn what this gateway does not know.
     */
    private void changeConsent(RoutingContext ctx) {
        String sessionId = ApiRouter.shopper(ctx).id();
        JsonBody body = ApiRouter.body(ctx);
        body.onlyFields(CONSENT_FIELDS);
        Map<Consent, Boolean> wanted = new EnumMap<>(Consent.class);
        for (Consent consent : Consent.values()) {
            body.optionalBoolean(consent.field()).ifPresent(given -> wanted.put(consent, given));
        }
        if (wanted.isEmpty()) {
            throw ApiError.invalidRequest("name at least one consent to give (true) or withdraw (false): "
                    + String.join(", ", CONSENT_FIELDS));
        }
        sessions.changeConsent(sessionId, wanted).onSuccess(changed -> changed.ifPresentOrElse(
                        session -> ApiRouter.json(ctx, 200, new JsonObject().put("consent", consents(session))),
                        () -> ctx.fail(ApiError.sessionNotFound())))
                .onFailure(e -> ctx.fail(refusal(e)));
    }

    private static JsonObject consents(ShopperSession session) {
        JsonObject consents = new JsonObject();
        for (Consent consent : Consent.values()) {
            consents.put(consent.field(), session.has(consent));
        }
        return consents;
    }

    private void location(RoutingContext ctx) {
        ShopperSession session = ApiRouter.shopper(ctx);
        if (!session.locationConsent()) {
            throw new ApiError(403, "location_consent_missing", "the shopper did not consent to be located; give"
                    + " it with PATCH " + PrivacyNotice.CONSENT_ROUTE + " {\"location\": true}");
        }
        ShopperLocation where = locations.locationOf(session.id()).orElseThrow(() -> new ApiError(404,
                "location_unknown", "the shopper has not been located yet"));
        String zoneName = config.get().zone(where.zoneId()).map(Zone::name).orElse(where.zoneId());
        ApiRouter.json(ctx, 200, new JsonObject()
                .put("zoneId", where.zoneId())
                .put("zoneName", zoneName)
                .put("since", Instant.ofEpochMilli(where.sinceMs()).toString())
                .put("confidence", where.confidence()));
    }

    private void wayfinding(RoutingContext ctx) {
        ShopperSession session = ApiRouter.shopper(ctx);
        String sku = ctx.queryParams().get("sku");
        if (sku == null || sku.isBlank()) {
            throw new ApiError(400, "sku_missing", "give the product as ?sku=...");
        }
        // Without location consent the shopper's zone is not even looked up: the route starts nowhere.
        Optional<String> from = session.locationConsent()
                ? locations.locationOf(session.id()).map(ShopperLocation::zoneId)
                : Optional.empty();
        Route route = wayfinder.route(sku, from).orElseThrow(() -> new ApiError(404, "product_not_found",
                "no product has this sku"));
        ApiRouter.json(ctx, 200, new JsonObject()
                .put("sku", route.sku())
                .put("productName", route.productName())
                .put("productZone", route.productZone())
                .put("route", new JsonArray(route.path())));
    }

    /**
     * A refused check-in, check-out or consent change as its 503 (409 for a consent change under way); anything else
     * is unexpected and left for the 500 path.
     */
    private static Throwable refusal(Throwable failure) {
        if (failure instanceof SessionRefused refused) {
            return switch (refused.reason()) {
                case SESSION_LIMIT -> new ApiError(503, "session_limit_reached", refused.getMessage());
                case STORAGE_BUSY -> new ApiError(503, "storage_busy", refused.getMessage());
                case STORAGE_FAILED -> new ApiError(503, "storage_unavailable", refused.getMessage());
                case CONSENT_CHANGING -> new ApiError(409, "consent_change_in_progress", refused.getMessage());
            };
        }
        return failure;
    }
}
