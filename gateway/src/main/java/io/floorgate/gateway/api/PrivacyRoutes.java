package io.floorgate.gateway.api;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import io.floorgate.config.StaffRole;
import io.floorgate.gateway.api.ApiRouter.Body;
import io.floorgate.gateway.privacy.AuditAction;
import io.floorgate.gateway.privacy.AuditLog;
import io.floorgate.gateway.privacy.CustomerRequests;
import io.floorgate.gateway.privacy.PrivacyRefused;
import io.floorgate.gateway.staff.StaffSession;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A customer's access and erasure requests, and the audit log, for admins under {@code /api/v1}:
 * {@code GET /privacy/customers/{ref}} exports everything held about a customer reference as one JSON document,
 * {@code DELETE /privacy/customers/{ref}} erases it, {@code GET /audit?from=&to=} exports the audit log. Each is
 * recorded in the audit log before it is done. There is no route that changes or deletes an audit entry.
 *
 * <p>Answers: 403 {@code role_forbidden} below admin; 400 for a reference or time that is not one; 503
 * {@code storage_busy} / {@code storage_unavailable} when the audit entry or the erasure could not be committed (an
 * erasure's live part is done by then: ask again).
 *
 * <p>Threads: event loops; reads on workers, writes through the group committer.
 */
public final class PrivacyRoutes {

    private final CustomerRequests requests;
    private final AuditLog audit;
    private final Vertx vertx;

    public PrivacyRoutes(Vertx vertx, CustomerRequests requests, AuditLog audit) {
        this.vertx = vertx;
        this.requests = requests;
        this.audit = audit;
    }

    public void mount(ApiRouter api) {
        Admission admin = Admission.staff(StaffRole.ADMIN);
        api.route(HttpMethod.GET, "/privacy/customers/:ref", admin, Body.NONE).handler(this::export);
        api.route(HttpMethod.DELETE, "/privacy/customers/:ref", admin, Body.NONE).handler(this::erase);
        api.route(HttpMethod.GET, "/audit", admin, Body.NONE).handler(this::auditLog);
    }

    private void export(RoutingContext ctx) {
        answer(ctx, requests.export(reference(ctx), staff(ctx)));
    }

    private void erase(RoutingContext ctx) {
        answer(ctx, requests.erase(reference(ctx), staff(ctx)));
    }

    private void auditLog(RoutingContext ctx) {
        Instant to = time(ctx, "to").orElseGet(Instant::now);
        Instant from = time(ctx, "from").orElse(Instant.EPOCH);
        if (!from.isBefore(to)) {
            throw ApiError.invalidRequest("from must be before to");
        }
        answer(ctx, audit.record(audit.entry(staff(ctx), AuditAction.AUDIT_EXPORT, Optional.empty(),
                        "audit log from " + from + " to " + to))
                .compose(v -> vertx.executeBlocking(() -> audit.export(from, to), false)));
    }

    private static String reference(RoutingContext ctx) {
        String ref = ctx.pathParam("ref");
        if (ref == null || ref.isBlank() || ref.length() > PickupRoutes.MAX_CUSTOMER_REF_LENGTH) {
            throw ApiError.invalidRequest("the customer reference must be 1 to " + PickupRoutes.MAX_CUSTOMER_REF_LENGTH
                    + " characters");
        }
        return ref;
    }

    private static Optional<Instant> time(RoutingContext ctx, String name) {
        String value = ctx.queryParams().get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw ApiError.invalidRequest(name + " must be an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z");
        }
    }

    private static StaffSession staff(RoutingContext ctx) {
        return ((Caller.Staff) ApiRouter.caller(ctx)).session();
    }

    private static void answer(RoutingContext ctx, Future<JsonObject> result) {
        result.onSuccess(json -> ApiRouter.json(ctx, 200, json)).onFailure(e -> ctx.fail(refusal(e)));
    }

    /** An audit entry or an erasure storage did not take, as the API answers it. */
    static ApiError refusal(PrivacyRefused refused) {
        return refused.reason() == PrivacyRefused.Reason.STORAGE_BUSY
                ? new ApiError(503, "storage_busy", refused.getMessage())
                : new ApiError(503, "storage_unavailable", refused.getMessage());
    }

    private static Throwable refusal(Throwable failure) {
        if (failure instanceof PrivacyRefused refused) {
            return refusal(refused);
        }
        if (failure instanceof SQLException e) {
            return new ApiError(503, "storage_unavailable", "the database could not be read: " + e.getMessage());
        }
        return failure;
    }
}
