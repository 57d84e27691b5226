package io.floorgate.sim.play;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The pickup calls of the gateway's API, async on {@link HttpClient}: the order system marking an
 * order ready (system client token), and a shopper's app linking it, saying "on my way" and "I'm here".
 * Each completes normally on a 2xx answer and fails with an {@link AppCheckIns.ApiException} otherwise.
 */
public final class PickupCalls {

    /** The demo store's order-system token ({@code sessions.systemClientToken} in demo-store.yaml). */
    public static final String DEMO_SYSTEM_TOKEN = "demo-only-order-system-token-2026";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int ETA_MINUTES = 5;

    private final HttpClient http;
    private final URI api;
    private final String systemToken;

    public PickupCalls(HttpClient http, URI api, String systemToken) {
        this.http = http;
        this.api = api;
        this.systemToken = systemToken;
    }

    public CompletableFuture<Void> ready(String orderId, String customerRef, String code, String pickupPointId) {
        JsonObject body = new JsonObject().put("status", "READY").put("pickupPointId", pickupPointId)
                .put("customerRef", customerRef).put("code", code);
        return send("order ready", request("/api/v1/orders/" + orderId, systemToken)
                .PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    public CompletableFuture<Void> link(AppSession session, String orderId) {
        return shopperStep("link", session, orderId, "", "");
    }

    public CompletableFuture<Void> onMyWay(AppSession session, String orderId) {
        return shopperStep("on my way", session, orderId, "/on-my-way",
                new JsonObject().put("etaMinutes", ETA_MINUTES).encode());
    }

    public CompletableFuture<Void> arrived(AppSession session, String orderId) {
        return shopperStep("arrived", session, orderId, "/arrived", "");
    }

    public CompletableFuture<Void> handOff(String orderId) {
        return send("hand-off", request("/api/v1/orders/" + orderId + "/handoff", systemToken)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private CompletableFuture<Void> shopperStep(String call, AppSession session, String orderId, String step,
                                                String body) {
        return send(call, request("/api/v1/sessions/" + session.sessionId() + "/orders/" + orderId + step,
                session.token()).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String path, String bearer) {
        return HttpRequest.newBuilder(api.resolve(path)).timeout(TIMEOUT).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer);
    }

    private CompletableFuture<Void> send(String call, HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new CompletionException(new AppCheckIns.ApiException(call, response.statusCode(), response.body()));
            }
        });
    }
}
