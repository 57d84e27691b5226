package io.floorgate.gateway.api;

import java.util.EnumMap;
import java.util.Map;

import io.floorgate.config.Limits;
import io.floorgate.gateway.limits.RefusalLog;
import io.floorgate.gateway.limits.TokenBucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener's bounds on what a client sends, and the one place that counts a client refused for them in
 * {@code floorgate_http_rejected_total{reason}} and logs it: the first refusal of a reason at once, then at most one
 * line per reason a minute with how many more there were.
 *
 * <ul>
 *   <li>The request head (request line, headers) is bounded by {@link Limits#httpMaxHeaderBytes()}: Netty's decoder
 *       refuses a longer one, Vert.x answers 431 or 414 and closes ({@link #invalidRequests}).</li>
 *   <li>A body is bounded by {@link Limits#httpMaxBodyBytes()} (413) and must arrive whole within
 *       {@link Limits#httpBodyTimeout()} of the head (408); both close the connection, so the rest of a huge or
 *       trickling body is not read ({@link ApiRouter}).</li>
 *   <li>A push stream's client only listens: a frame over {@link Limits#webSocketMaxFrameBytes()} closes the socket
 *       (Netty drops the connection), and messages beyond {@link Limits#webSocketMessageRate()} close it with 1008
 *       ({@link #watch}).</li>
 * </ul>
 * The limits are read once, at start.
 *
 * <p>Threads: called on event loops; counters are Micrometer's, the {@link RefusalLog} is synchronized.
 */
public final class HttpGuard {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
    /** The WebSocket close code for a message that breaks the server's policy [RFC 6455 7.4.1]. */
    private static final short POLICY_VIOLATION = 1008;

    /** Why a client was refused; the label is the metric's {@code reason}. */
    enum Reason {
        HEAD_TOO_LARGE("head_too_large"),
        MALFORMED_REQUEST("malformed_request"),
        BODY_TOO_LARGE("body_too_large"),
        BODY_TIMEOUT("body_timeout"),
        WEBSOCKET_FRAME_TOO_LARGE("websocket_frame_too_large"),
        WEBSOCKET_FLOOD("websocket_flood");

        private final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    private final Limits limits;
    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
    private final RefusalLog<Reason> log = new RefusalLog<>(Reason.class);

    public HttpGuard(Limits limits, MeterRegistry metrics) {
        this.limits = limits;
        for (Reason reason : Reason.values()) {
            counters.put(reason, Counter.builder("floorgate.http.rejected").tag("reason", reason.label)
                    .description("HTTP and WebSocket clients refused for a size, time or rate limit")
                    .register(metrics));
        }
    }

    /** The head and WebSocket frame bounds, on the listener's options. */
    public HttpServerOptions bound(HttpServerOptions options) {
        return options.setMaxHeaderSize(limits.httpMaxHeaderBytes())
                .setMaxInitialLineLength(limits.httpMaxHeaderBytes())
                .setMaxWebSocketFrameSize(limits.webSocketMaxFrameBytes())
                .setMaxWebSocketMessageSize(limits.webSocketMaxFrameBytes());
    }

    /** For {@code HttpServer.invalidRequestHandler}: counts, then answers as Vert.x does (431, 414 or 400, closed). */
    public Handler<HttpServerRequest> invalidRequests() {
        return request -> {
            Throwable cause = request.decoderResult().cause();
            refused(cause instanceof TooLongFrameException ? Reason.HEAD_TOO_LARGE : Reason.MALFORMED_REQUEST,
                    request.remoteAddress(), String.valueOf(cause));
            HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
        };
    }

    int maxBodyBytes() {
        return limits.httpMaxBodyBytes();
    }

    long bodyTimeoutMs() {
        return limits.httpBodyTimeout().toMillis();
    }

    /** Answers {@code error} and closes the connection, so that the rest of the body is never read. */
    void refuseBody(RoutingContext ctx, Reason reason, ApiError error) {
        refused(reason, ctx.request().remoteAddress(), ctx.request().method() + " " + ctx.request().path());
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close")
                .endHandler(v -> ctx.request().connection().close());
        ErrorResponses.send(ctx, error);
    }

    /**
     * Holds a push stream's client to its bounds: it only listens, so a few messages (a browser's keep-alive) pass
     * and ignored, more close the socket; a frame over the size limit is refused by Netty, and counted here.
     */
    public void watch(ServerWebSocket socket) {
        Watched watched = new Watched(new TokenBucket(limits.webSocketMessageRate(), limits.webSocketMessageBurst(),
                System.nanoTime()));
        socket.frameHandler(frame -> onFrame(socket, frame, watched));
        socket.exceptionHandler(e -> {
            if (e instanceof TooLongFrameException || e.getCause() instanceof TooLongFrameException
                    || String.valueOf(e.getMessage()).contains("Max frame length")) {
                refused(Reason.WEBSOCKET_FRAME_TOO_LARGE, socket.remoteAddress(), e.toString());
            } else {
                LOG.debug("Push stream from {} failed: {}", socket.remoteAddress(), e.toString());
            }
        });
    }

    /** One push stream's allowance, and whether it was refused already (its frames in flight are not counted). */
    private static final class Watched {
        final TokenBucket allowance;
        boolean refused;

        Watched(TokenBucket allowance) {
            this.allowance = allowance;
        }
    }

    /** On the socket's event loop. */
    private void onFrame(ServerWebSocket socket, WebSocketFrame frame, Watched watched) {
        boolean data = frame.isText() || frame.isBinary() || frame.isContinuation();
        if (data && !watched.refused && !watched.allowance.tryTake(System.nanoTime())) {
            watched.refused = true;
            refused(Reason.WEBSOCKET_FLOOD, socket.remoteAddress(),
                    "over " + limits.webSocketMessageRate() + " messages/s on a push stream");
            socket.close(POLICY_VIOLATION, "message rate over the limit");
        }
    }

    private void refused(Reason reason, Object remote, String detail) {
        counters.get(reason).increment();
        log.pass(reason, reason.label).ifPresent(heldBack -> LOG.info("Refused HTTP client {} ({}): {}{}", remote,
                reason.label, detail, heldBack));
    }
}
