package io.floorgate.gateway.api;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.floorgate.config.StoreConfig;
import io.floorgate.config.Zone;
import io.floorgate.gateway.linking.Authentication;
import io.floorgate.gateway.linking.CheckIn;
import io.floorgate.gateway.linking.CheckInRequest;
import io.floorgate.gateway.linking.SessionRefused;
import io.floorgate.gateway.linking.SessionRegistry;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.linking.TouchTokens;
import io.floorgate.gateway.location.LocationQuery;
import io.floorgate.gateway.location.Route;
import io.floorgate.gateway.location.ShopperLocation;
import io.floorgate.gateway.location.Wayfinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The shopper app's HTTP API under {@value #PREFIX}, as {@code api/openapi.yaml} describes it: check in, check out,
 * location, wayfinding, and the OpenAPI document itself.
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

    static final String PREFIX = "/api/v1";
    /** Check-in bodies are a few hundred bytes; anything near this is not an app. */
    static final int MAX_BODY_BYTES = 16 * 1024;
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
    private static final String ROUTE_LABEL = "floorgate.api.route";
    private static final Pattern BEARER = Pattern.compile("(?i)Bearer +([A-Za-z0-9._~+/-]+=*) *");

    private final SessionRegistry sessions;
    private final LocationQuery locations;
    private final Wayfinder wayfinder;
    private final Supplier<StoreConfig> config;
    private final ApiMetrics metrics;
    private final Buffer openApiDocument;

    /**
     * @param config          the configuration in force (it may be reloaded)
     * @param openApiDocument from {@link #loadOpenApiDocument()}, read once off the event loop
     */
    public ApiRoutes(SessionRegistry sessions, LocationQuery locations, Wayfinder wayfinder,
                     Supplier<StoreConfig> config, MeterRegistry metrics, Buffer openApiDocument) {
        this.sessions = sessions;
        this.locations = locations;
        this.wayfinder = wayfinder;
        this.config = config;
        this.metrics = new ApiMetrics(metrics);
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

    /**
     * Mounts the API and makes every error on the router, API or not, a JSON error. Routes mounted after this one
     * under {@value #PREFIX} (the pickup routes) share its counting and its error answers.
     */
    public void mount(Router router) {
        ErrorResponses.install(router);
        router.route(PREFIX + "/*").handler(this::countResponse).failureHandler(ErrorResponses::fail);
        route(router, HttpMethod.POST, "/sessions", true).handler(this::checkIn);
        route(router, HttpMethod.DELETE, "/sessions/:sessionId", false).handler(this::checkOut);
        route(router, HttpMethod.GET, "/sessions/:sessionId/location", false).handler(this::location);
        route(router, HttpMethod.GET, "/wayfinding", false).handler(this::wayfinding);
        route(router, HttpMethod.GET, "/openapi.yaml", false).handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml").end(openApiDocument));
    }

    /**
     * A route whose responses are counted under its template. The template is noted by a route of its own, ahead
     * of the returned one, because Vert.x wants a body handler first on its route, and the label (and the media type
     * check, which comes before the body is read) must be in place before the body handler can refuse a body.
     */
    static io.vertx.ext.web.Route route(Router router, HttpMethod method, String path, boolean jsonBody) {
        String label = method.name() + " " + PREFIX + path;
        io.vertx.ext.web.Route first = router.route(method, PREFIX + path).handler(ctx -> {
            ctx.put(ROUTE_LABEL, label);
            ctx.next();
        });
        io.vertx.ext.web.Route handling = router.route(method, PREFIX + path);
        if (jsonBody) {
            first.handler(ApiRoutes::requireJson);
            handling.handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        }
        return handling;
    }

    private void countResponse(RoutingContext ctx) {
        ctx.addEndHandler(done -> metrics.count(ctx.get(ROUTE_LABEL, ApiMetrics.UNMATCHED),
                ctx.response().getStatusCode()));
        ctx.next();
    }

    /** Refuses a body that is not JSON before reading it. */
    private static void requireJson(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(ErrorResponses.JSON)) {
            throw ErrorResponses.unsupportedMediaType();
        }
        ctx.next();
    }

    private void checkIn(RoutingContext ctx) {
        JsonBody body = JsonBody.parse(ctx.body().buffer());
        String storeId = body.requiredText("storeId", MAX_STORE_ID_LENGTH);
        String appInstance = body.requiredText("appInstanceId", MAX_REFERENCE_LENGTH);
        Optional<String> customerRef = body.optionalText("customerRef", MAX_REFERENCE_LENGTH);
        JsonBody consent = body.requiredObject("consent");
        boolean location = consent.requiredBoolean("location");
        boolean analytics = consent.requiredBoolean("analytics");
        StoreConfig store = config.get();
        if (!storeId.equals(store.storeId())) {
            throw new ApiError(404, "store_not_found", "this gateway serves store " + store.storeId());
        }
        sessions.checkIn(new CheckInRequest(appInstance, customerRef, location, analytics))
                .onSuccess(checkIn -> ctx.response().setStatusCode(201)
                        .putHeader(HttpHeaders.CONTENT_TYPE, ErrorResponses.JSON)
                        .putHeader(HttpHeaders.LOCATION, PREFIX + "/sessions/" + checkIn.session().id())
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
        String sessionId = authenticated(ctx).id();
        sessions.checkOut(sessionId).onSuccess(ended -> {
            if (ended) {
                ctx.response().setStatusCode(204).end();
            } else {
                ctx.fail(ApiError.sessionNotFound());
            }
        }).onFailure(e -> ctx.fail(refusal(e)));
    }

    private void location(RoutingContext ctx) {
        ShopperSession session = authenticated(ctx);
        if (!session.locationConsent()) {
            throw new ApiError(403, "location_consent_missing",
                    "the shopper did not consent to be located; check in again with consent.location true");
        }
        ShopperLocation where = locations.locationOf(session.id()).orElseThrow(() -> new ApiError(404,
                "location_unknown", "the shopper has not been located yet"));
        String zoneName = config.get().zone(where.zoneId()).map(Zone::name).orElse(where.zoneId());
        json(ctx, 200, new JsonObject()
                .put("zoneId", where.zoneId())
                .put("zoneName", zoneName)
                .put("since", Instant.ofEpochMilli(where.sinceMs()).toString())
                .put("confidence", where.confidence()));
    }

    private void wayfinding(RoutingContext ctx) {
        String token = bearerToken(ctx);
        ShopperSession session = sessions.authenticate(token)
                .orElseThrow(() -> ApiError.unauthorized("the token belongs to no open session"));
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
        json(ctx, 200, new JsonObject()
                .put("sku", route.sku())
                .put("productName", route.productName())
                .put("productZone", route.productZone())
                .put("route", new JsonArray(route.path())));
    }

    /** The session named in the path, when the request carries its token. */
    private ShopperSession authenticated(RoutingContext ctx) {
        return authenticated(sessions, ctx, bearerToken(ctx));
    }

    /** The session named in the path, when {@code token} is its token; 401 or 404 otherwise. */
    static ShopperSession authenticated(SessionRegistry sessions, RoutingContext ctx, String token) {
        Authentication result = sessions.authenticate(ctx.pathParam("sessionId"), token);
        if (result instanceof Authentication.Granted granted) {
            return granted.session();
        }
        if (result instanceof Authentication.WrongToken) {
            throw ApiError.unauthorized("the token is not this session's");
        }
        throw ApiError.sessionNotFound();
    }

    static String bearerToken(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            throw ApiError.unauthorized("a bearer token is required: Authorization: Bearer <token>");
        }
        Matcher m = BEARER.matcher(header);
        if (!m.matches()) {
            throw ApiError.unauthorized("the Authorization header must be: Bearer <token>");
        }
        return m.group(1);
    }

    /** A refused check-in or check-out as its 503; anything else is unexpected and left for the 500 path. */
    private static Throwable refusal(Throwable failure) {
        if (failure instanceof SessionRefused refused) {
            String code = switch (refused.reason()) {
                case SESSION_LIMIT -> "session_limit_reached";
                case STORAGE_BUSY -> "storage_busy";
                case STORAGE_FAILED -> "storage_unavailable";
            };
            return new ApiError(503, code, refused.getMessage());
        }
        return failure;
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, ErrorResponses.JSON)
                .end(body.encode());
    }
}
