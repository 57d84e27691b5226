package io.floorgate.sim.play;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The shoppers' apps talking to the gateway's app API ({@code POST /api/v1/sessions} on entering,
 * {@code DELETE} on leaving) with {@link HttpClient}'s async calls, so the tick thread never waits
 * for the network. Answers arrive on the client's threads; the issued keys queue up until the tick
 * thread drains them. A failed call counts as an API error and that shopper stays silent.
 */
public final class AppCheckIns implements ShopperApp {

    public static final String SESSIONS_PATH = "/api/v1/sessions";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int CREATED = 201;
    private static final int NO_CONTENT = 204;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI sessions;
    private final String storeId;
    private final PlayStats stats;
    /** Distinguishes this run's app instances from an earlier run's against the same gateway. */
    private final String runId = UUID.randomUUID().toString();
    private final Map<String, CompletableFuture<AppSession>> checkIns = new ConcurrentHashMap<>();
    private final Map<String, AppSession> open = new ConcurrentHashMap<>();
    private final Queue<IssuedKey> issued = new ConcurrentLinkedQueue<>();

    public AppCheckIns(URI api, String storeId, PlayStats stats) {
        this.sessions = api.resolve(SESSIONS_PATH);
        this.storeId = storeId;
        this.stats = stats;
    }

    @Override
    public void entered(String shopperId, boolean locationConsent) {
        CompletableFuture<AppSession> checkIn = checkIn(shopperId, locationConsent).whenComplete((session, failure) -> {
            if (failure != null) {
                stats.apiErrors.increment();
            } else {
                stats.checkedIn.increment();
                open.put(shopperId, session);
                issued.add(session.issuedKey());
            }
        });
        checkIns.put(shopperId, checkIn);
    }

    /** Checks out once the check-in has answered, even when the shopper leaves before it did. */
    @Override
    public void left(String shopperId) {
        checkOutWhenCheckedIn(shopperId);
    }

    /** Checks out every shopper still checked in, as when the store closes; completes when all have answered. */
    public CompletableFuture<Void> checkOutEveryone() {
        return CompletableFuture.allOf(List.copyOf(checkIns.keySet()).stream().map(this::checkOutWhenCheckedIn)
                .map(f -> f.exceptionally(failure -> null)).toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> checkOutWhenCheckedIn(String shopperId) {
        CompletableFuture<AppSession> checkIn = checkIns.remove(shopperId);
        if (checkIn == null) {
            return CompletableFuture.completedFuture(null);
        }
        return checkIn.thenCompose(session -> {
            open.remove(shopperId);
            return checkOut(session);
        }).whenComplete((ok, failure) -> {
            if (failure == null) {
                stats.checkedOut.increment();
            } else if (!checkIn.isCompletedExceptionally()) {
                stats.apiErrors.increment();
            }
        });
    }

    /** Hands each key issued since the last call to {@code sink}; call on the tick thread. */
    public void drainIssued(Consumer<IssuedKey> sink) {
        for (IssuedKey key = issued.poll(); key != null; key = issued.poll()) {
            sink.accept(key);
        }
    }

    /** The sessions open now, checked in and not yet checked out. */
    public List<AppSession> openSessions() {
        return List.copyOf(open.values());
    }

    public boolean isOpen(String shopperId) {
        return open.containsKey(shopperId);
    }

    /** Checks in one shopper; completes with the session or fails with the gateway's answer. */
    public CompletableFuture<AppSession> checkIn(String shopperId, boolean locationConsent) {
        JsonObject body = new JsonObject()
                .put("storeId", storeId)
                .put("appInstanceId", "sim-" + runId + "-" + shopperId)
                .put("consent", new JsonObject().put("location", locationConsent).put("analytics", true));
        HttpRequest request = HttpRequest.newBuilder(sessions).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != CREATED) {
                throw new CompletionException(new ApiException("check-in", response.statusCode(), response.body()));
            }
            JsonObject answer = new JsonObject(response.body());
            JsonObject advertising = answer.getJsonObject("advertising");
            return new AppSession(shopperId, answer.getString("sessionId"), answer.getString("token"),
                    Base64.getDecoder().decode(advertising.getString("key")),
                    Duration.ofSeconds(advertising.getLong("rotationPeriodSeconds")), locationConsent);
        });
    }

    public CompletableFuture<Void> checkOut(AppSession session) {
        HttpRequest request = HttpRequest.newBuilder(sessions.resolve(SESSIONS_PATH + "/" + session.sessionId()))
                .timeout(TIMEOUT).header("Authorization", "Bearer " + session.token()).DELETE().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
            if (response.statusCode() != NO_CONTENT) {
                throw new CompletionException(new ApiException("check-out", response.statusCode(), response.body()));
            }
        });
    }

    /** A call the gateway answered with an unexpected status. */
    public static final class ApiException extends RuntimeException {
        public ApiException(String call, int status, String body) {
            super(call + " answered " + status + ": " + body);
        }
    }
}
