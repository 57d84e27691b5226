package io.floorgate.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.vertx.core.json.JsonObject;

/** The shopper app's side of the API, over real HTTP, against a {@link RunningGateway} or any server on a port. */
public final class AppClient {

    private static final HttpClient HTTP = RunningGateway.httpClient();

    /** A session as the app holds it after check-in. */
    public record Session(String id, String token, JsonObject checkIn) {
    }

    private final int httpPort;

    public AppClient(RunningGateway gateway) {
        this(gateway.gateway().httpPort());
    }

    public AppClient(int httpPort) {
        this.httpPort = httpPort;
    }

    public static String checkInBody(boolean locationConsent) {
        return new JsonObject().put("storeId", TestStore.STORE_ID).put("appInstanceId", "app-instance-1")
                .put("customerRef", "customer-42")
                .put("consent", new JsonObject().put("location", locationConsent).put("analytics", false)).encode();
    }

    public Session checkIn(boolean locationConsent) {
        HttpResponse<String> response = post("/api/v1/sessions", "application/json", checkInBody(locationConsent));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("check-in answered " + response.statusCode() + ": " + response.body());
        }
        JsonObject body = new JsonObject(response.body());
        return new Session(body.getString("sessionId"), body.getString("token"), body);
    }

    public HttpResponse<String> post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A request with a bearer token and, unless null, a JSON body. */
    public HttpResponse<String> send(String method, String path, String token, String jsonBody) {
        HttpRequest.Builder request = authorized(request(path), token);
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    public HttpResponse<String> get(String path, String token) {
        return send(authorized(request(path), token).GET());
    }

    public HttpResponse<String> delete(String path, String token) {
        return send(authorized(request(path), token).DELETE());
    }

    /** Any method, no body, no token. */
    public HttpResponse<String> method(String method, String path) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path));
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String token) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
