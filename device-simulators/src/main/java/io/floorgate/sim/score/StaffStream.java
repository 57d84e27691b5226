package io.floorgate.sim.score;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Listens to the gateway's staff stream ({@code GET /api/v1/staff/stream}, system client token as
 * {@code ?token=}) as staff would, and hands each {@code arrival} message, dated on receipt, to a consumer.
 * Messages are handled on the WebSocket client's thread, so the consumer is called there and must not block.
 */
public final class StaffStream implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Consumer<ArrivalNotice> arrivals;
    private final WebSocket socket;

    private StaffStream(URI uri, Consumer<ArrivalNotice> arrivals)
            throws InterruptedException, ExecutionException, TimeoutException {
        this.arrivals = arrivals;
        this.socket = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build().newWebSocketBuilder()
                .buildAsync(uri, new Listener()).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Opens the stream of the gateway whose app API is {@code api} (http://host:port). */
    public static StaffStream open(URI api, String systemToken, Consumer<ArrivalNotice> arrivals)
            throws InterruptedException, ExecutionException, TimeoutException {
        return new StaffStream(URI.create("ws://" + api.getAuthority() + "/api/v1/staff/stream?token="
                + URLEncoder.encode(systemToken, StandardCharsets.UTF_8)), arrivals);
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").whenComplete((ok, failure) -> socket.abort());
    }

    /** Joins a message's frames, then keeps arrivals; other messages (hello, handoff, sla_breach) do not score. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                long at = System.currentTimeMillis();
                arrival(message.toString(), at);
                message.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void arrival(String text, long at) {
            try {
                JsonObject json = new JsonObject(text);
                JsonObject order = json.getJsonObject("order");
                if ("arrival".equals(json.getString("type")) && order != null) {
                    arrivals.accept(new ArrivalNotice(at, order.getString("orderId"), json.getString("source", "")));
                }
            } catch (DecodeException | ClassCastException e) {
                // not a message this client understands: staff would ignore it too
            }
        }
    }
}
