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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The shoppers' apps talking to the gateway's app API ({@code POST /api/v1/sessions} on entering,
 * {@code DELETE} on leaving, and the pickup steps of shoppers collecting an order, with the simulated
 * order system marking those orders ready) with {@link HttpClient}'s async calls, so the tick thread never waits
 * for the network. Answers arrive on the client's threads; the issued keys queue up until the tick
 * thread drains them. A failed call counts as an API error and that shopper stays silent.
 */
public final class AppCheckIns implements ShopperApp {

    public static final String SESSIONS_PATH = "/api/v1/sessions";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int CREATED = 201;
    private static final int NO_CONTENT = 204;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final URI sessions;
    private final String storeId;
    private final PlayStats stats;
    /** Distinguishes this run's app instances from an earlier run's against the same gateway. */
    private final String runId = UUID.randomUUID().toString();
    private final Map<String, CompletableFuture<AppSession>> checkIns = new ConcurrentHashMap<>();
    private final Map<String, AppSession> open = new ConcurrentHashMap<>();
    private final Queue<IssuedKey> issued = new ConcurrentLinkedQueue<>();
    private final PickupCalls pickup;
    /** shopper → the order being collected, from {@link #collecting} until the shopper leaves. */
    private final Map<String, Collection> collections = new ConcurrentHashMap<>();
    private final Queue<TrueArrival> trueArrivals = new ConcurrentLinkedQueue<>();
    private final Set<String> orders = ConcurrentHashMap.newKeySet();

    public AppCheckIns(URI api, String storeId, PlayStats stats) {
        this(api, storeId, stats, PickupCalls.DEMO_SYSTEM_TOKEN);
    }

    /** @param orderSystemToken the store's {@code sessions.systemClientToken}, with which the order system marks orders ready */
    public AppCheckIns(URI api, String storeId, PlayStats stats, String orderSystemToken) {
        this.sessions = api.resolve(SESSIONS_PATH);
        this.storeId = storeId;
        this.stats = stats;
        this.pickup = new PickupCalls(http, api, orderSystemToken);
    }

    /** An order on its way to being collected, and the order system's call marking it ready. */
    private record Collection(String orderId, CompletableFuture<Void> ready) {
    }

    /**
     * The order system marks the order ready as the shopper arrives, so it is READY before the shopper's app
     * links it; the customer reference ties the two, as a real order system and app would.
     */
    @Override
    public void collecting(String shopperId, String orderCode, String pickupPointId) {
        String orderId = "order-" + runId + "-" + shopperId;
        orders.add(orderId);
        CompletableFuture<Void> ready = pickup.ready(orderId, customerRef(shopperId), orderCode, pickupPointId);
        ready.whenComplete((ok, failure) -> countFailure(failure));
        collections.put(shopperId, new Collection(orderId, ready));
    }

    @Override
    public void entered(String shopperId, boolean locationConsent) {
        Collection collection = collections.get(shopperId);
        CompletableFuture<AppSession> checkIn = checkIn(shopperId, locationConsent,
                collection == null ? null : customerRef(shopperId)).whenComplete((session, failure) -> {
            if (failure != null) {
                stats.apiErrors.increment();
            } else {
                stats.checkedIn.increment();
                open.put(shopperId, session);
                issued.add(session.issuedKey());
            }
        });
        checkIns.put(shopperId, checkIn);
        if (collection != null) {
            link(collection, checkIn);
        }
    }

    /**
     * Links once both the order is ready and the shopper checked in; about half the shoppers, by their order id's
     * hash, then say "on my way", so that the zone must also recognise an order in that state.
     */
    private void link(Collection collection, CompletableFuture<AppSession> checkIn) {
        boolean onMyWay = (collection.orderId().hashCode() & 1) == 0;
        collection.ready().thenCombine(checkIn, (ok, session) -> session)
                .thenCompose(session -> pickup.link(session, collection.orderId())
                        .thenCompose(linked -> onMyWay ? pickup.onMyWay(session, collection.orderId())
                                : CompletableFuture.completedFuture(null)))
                .whenComplete((ok, failure) -> {
                    // a failed ready or check-in was counted where it failed
                    if (failure != null && !collection.ready().isCompletedExceptionally()
                            && !checkIn.isCompletedExceptionally()) {
                        stats.apiErrors.increment();
                    }
                });
    }

    /**
     * Records the truth; a shopper the gateway may not locate taps "I'm here" in the app instead, since the
     * pickup zone cannot tell the gateway about that shopper.
     */
    @Override
    public void reachedPickup(String shopperId, long epochMs) {
        Collection collection = collections.get(shopperId);
        CompletableFuture<AppSession> checkIn = checkIns.get(shopperId);
        if (collection == null || checkIn == null) {
            return;
        }
        trueArrivals.add(new TrueArrival(collection.orderId(), shopperId, epochMs));
        checkIn.thenCompose(session -> session.locationConsent() ? CompletableFuture.completedFuture(null)
                : pickup.arrived(session, collection.orderId()))
                .whenComplete((ok, failure) -> {
                    if (failure != null && !checkIn.isCompletedExceptionally()) {
                        stats.apiErrors.increment();
                    }
                });
    }

    private void countFailure(Throwable failure) {
        if (failure != null) {
            stats.apiErrors.increment();
        }
    }

    private String customerRef(String shopperId) {
        return "sim-" + runId + "-" + shopperId;
    }

    /** Every order this run marked ready. */
    public Set<String> orders() {
        return Set.copyOf(orders);
    }

    /** The true arrivals so far, in the order they happened. */
    public List<TrueArrival> trueArrivals() {
        return List.copyOf(trueArrivals);
    }

    /** Checks out once the check-in has answered, even when the shopper leaves before it did. */
    @Override
    public void left(String shopperId) {
        collections.remove(shopperId);
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
        return checkIn(shopperId, locationConsent, null);
    }

    /** @param customerRef the shopper's customer reference at the store, or null for an anonymous shopper */
    public CompletableFuture<AppSession> checkIn(String shopperId, boolean locationConsent, String customerRef) {
        JsonObject body = new JsonObject()
                .put("storeId", storeId)
                .put("appInstanceId", "sim-" + runId + "-" + shopperId)
                .put("consent", new JsonObject().put("location", locationConsent).put("analytics", true));
        if (customerRef != null) {
            body.put("customerRef", customerRef);
        }
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
        private final int status;

        public ApiException(String call, int status, String body) {
            super(call + " answered " + status + ": " + body);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
