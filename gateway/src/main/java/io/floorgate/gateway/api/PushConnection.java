package io.floorgate.gateway.api;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * One open push stream (a WebSocket). {@link #push} may be called from any thread and never blocks: the message is
 * handed to the connection's own event loop. At most {@link #MAX_QUEUED} messages wait for that loop, and none is
 * written while the socket's own write queue is full; a message beyond either bound is dropped and counted, so a
 * slow client falls behind alone and never holds up the pickup stage.
 */
final class PushConnection {

    /** Far more than a shopper or a pickup counter receives in a burst. */
    static final int MAX_QUEUED = 256;

    private final ServerWebSocket socket;
    private final Context context;
    private final Counter dropped;
    private final AtomicInteger queued = new AtomicInteger();

    PushConnection(ServerWebSocket socket, Context context, Counter dropped) {
        this.socket = socket;
        this.context = context;
        this.dropped = dropped;
    }

    void push(JsonObject message) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        String text = message.encode();
        context.runOnContext(v -> {
            queued.decrementAndGet();
            if (socket.isClosed()) {
                return;
            }
            if (socket.writeQueueFull()) {
                dropped.increment();
                return;
            }
            socket.writeTextMessage(text);
        });
    }

    void close() {
        context.runOnContext(v -> {
            if (!socket.isClosed()) {
                socket.close();
            }
        });
    }
}
