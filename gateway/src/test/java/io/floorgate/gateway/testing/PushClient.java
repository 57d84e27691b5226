package io.floorgate.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/** A push stream as a real {@code java.net.http.WebSocket} client: collects every JSON message it is sent. */
public final class PushClient implements AutoCloseable {

    private static final HttpClient HTTP = RunningGateway.httpClient();

    private final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final List<JsonObject> seen = new ArrayList<>();
    private final WebSocket socket;

    private PushClient(URI uri, String bearer) throws Exception {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        socket = builder.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    received.add(new JsonObject(partial.toString()));
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** Opens {@code path} on the gateway with the token as a bearer header, or, with {@code inQuery}, as ?token=. */
    public static PushClient open(RunningGateway gw, String path, String token, boolean inQuery) throws Exception {
        String query = inQuery ? "?token=" + token : "";
        PushClient client = new PushClient(URI.create("ws://127.0.0.1:" + gw.gateway().httpPort() + path + query),
                inQuery ? null : token);
        client.next("hello", Duration.ofSeconds(10));
        return client;
    }

    /** The next message of this type, skipping (and keeping) others; fails after {@code wait}. */
    public JsonObject next(String type, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (JsonObject kept : seen) {
            if (kept.getString("type").equals(type)) {
                seen.remove(kept);
                return kept;
            }
        }
        while (true) {
            JsonObject message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no " + type + " message within " + wait + "; other messages: " + seen);
            }
            if (message.getString("type").equals(type)) {
                return message;
            }
            seen.add(message);
        }
    }

    @Override
    public void close() {
        socket.abort();
    }
}
