package io.floorgate.gateway.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the API says no: a JSON body {@code {"error", "message"}} with the status, never an HTML page
 * or a stack trace. Covers the API's own refusals, Vert.x Web's (no route, wrong method, body too large) and
 * anything unexpected, which is logged once here and answered 500. Installed on the {@link ApiRouter}'s router
 * only: outside {@code /api}, Vert.x answers in its own way.
 */
final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    static final String JSON = "application/json";
    static final int BODY_TOO_LARGE = 413;
    /** A 503 here is a full queue or the session bound: both clear within seconds or as shoppers leave. */
    private static final int RETRY_AFTER_SECONDS = 5;

    private ErrorResponses() {
    }

    /** The API router's answers for requests no route took, or that a route failed with a bare status. */
    static void install(Router router, int maxBodyBytes) {
        router.errorHandler(400, ctx -> send(ctx, new ApiError(400, "invalid_request", "the request is malformed")));
        router.errorHandler(404, ctx -> send(ctx, new ApiError(404, "not_found", "no such resource: "
                + ctx.request().path())));
        router.errorHandler(405, ctx -> send(ctx, new ApiError(405, "method_not_allowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path())));
        router.errorHandler(BODY_TOO_LARGE, ctx -> send(ctx, bodyTooLarge(maxBodyBytes)));
        router.errorHandler(415, ctx -> send(ctx, unsupportedMediaType()));
        router.errorHandler(500, ErrorResponses::fail);
    }

    static ApiError bodyTooLarge(int maxBodyBytes) {
        return new ApiError(BODY_TOO_LARGE, "body_too_large", "the request body is larger than " + maxBodyBytes
                + " bytes");
    }

    static ApiError unsupportedMediaType() {
        return new ApiError(415, "unsupported_media_type", "the body must be " + JSON);
    }

    /** A route's failure handler: the API's own errors as they are, anything else as a bare status or a 500. */
    static void fail(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiError error) {
            send(ctx, error);
        } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            send(ctx, new ApiError(ctx.statusCode(), "invalid_request", "the request was refused"));
        } else {
            LOG.error("Unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
            send(ctx, new ApiError(500, "internal_error", "the gateway failed to answer; this is logged"));
        }
    }

    static void send(RoutingContext ctx, ApiError error) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        if (error.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"floorgate\"");
        } else if (error.status() == 503) {
            ctx.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        ctx.response().setStatusCode(error.status()).putHeader("content-type", JSON)
                .end(new JsonObject().put("error", error.code()).put("message", error.getMessage()).encode());
    }
}
