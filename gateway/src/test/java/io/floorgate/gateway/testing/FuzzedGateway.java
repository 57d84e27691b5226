package io.floorgate.gateway.testing;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.code_intelligence.jazzer.api.BugDetectors;
import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.Gateway;
import io.floorgate.gateway.GatewaySettings;
import io.vertx.core.Vertx;

/**
 * A gateway in-process on free ports for a fuzz test, started once for all its inputs, that records every exception
 * escaping a handler: Vert.x would only log those, and the gateway's code must not let any escape, whatever a client
 * sends.
 */
public final class FuzzedGateway implements AutoCloseable {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost");

    private final Vertx vertx;
    private final Gateway gateway;
    private final Queue<Throwable> escaped;

    private FuzzedGateway(Vertx vertx, Gateway gateway, Queue<Throwable> escaped) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.escaped = escaped;
    }

    public static FuzzedGateway start(StoreConfig config, Path dataDir) {
        Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
        Vertx vertx = Vertx.vertx();
        vertx.exceptionHandler(escaped::add);
        Gateway gateway = RunningGateway.await(Gateway.start(vertx,
                new GatewaySettings(config, Optional.empty(), dataDir, false)));
        return new FuzzedGateway(vertx, gateway, escaped);
    }

    /**
     * Tells Jazzer's server-side request forgery detector that the test's own connections to the gateway on loopback
     * are intended (it sees the host as resolved, "localhost"). Call it at the start of the fuzz test method: Jazzer's
     * agent is attached only once the inputs run, after {@code @BeforeAll}.
     */
    public static void allowLoopbackConnections() {
        BugDetectors.allowNetworkConnections((host, port) -> LOOPBACK.contains(host));
    }

    public Gateway gateway() {
        return gateway;
    }

    /** Throws the first exception that escaped a handler since the last call, if one did. */
    public void rethrowEscaped() {
        Throwable first = escaped.poll();
        escaped.clear();
        if (first != null) {
            throw new AssertionError("an exception escaped the gateway's handlers", first);
        }
    }

    @Override
    public void close() {
        RunningGateway.await(gateway.stop());
        RunningGateway.await(vertx.close());
    }
}
