package io.floorgate.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.Gateway;
import io.floorgate.gateway.GatewaySettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** A gateway started in-process on free ports with its own data directory, for one test. */
public final class RunningGateway implements AutoCloseable {

    /**
     * HTTP/1.1, as the apps, the order system and Prometheus speak it. With the JDK client's default (HTTP/2 by an
     * h2c upgrade of a connection's first request) a GET /metrics was seen to wait forever for its answer while the
     * gateway's event loops were idle, hanging whole test runs; why was not found.
     */
    private static final HttpClient HTTP = httpClient();
    /** A request not answered in this time fails the test instead of hanging the suite. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Gateway gateway;
    private boolean stopped;

    private RunningGateway(Vertx vertx, Gateway gateway) {
        this.vertx = vertx;
        this.gateway = gateway;
    }

    public static RunningGateway start(StoreConfig config, Path dataDir) {
        return start(new GatewaySettings(config, Optional.empty(), dataDir, false));
    }

    public static RunningGateway start(GatewaySettings settings) {
        Vertx vertx = Vertx.vertx();
        return new RunningGateway(vertx, await(Gateway.start(vertx, settings)));
    }

    /** The HTTP client the tests use: HTTP/1.1, see {@link #HTTP}. */
    public static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    public Gateway gateway() {
        return gateway;
    }

    public String mqttUri() {
        return "tcp://127.0.0.1:" + gateway.mqttPort();
    }

    public String metrics() {
        return get("/metrics").body();
    }

    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + path))
                            .timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        }
    }

    /** The value of one Prometheus sample, e.g. {@code floorgate_ingest_rejected_total{device="x",reason="y"}}; 0 if absent. */
    public double metric(String name, String... labelsInOrder) {
        StringBuilder pattern = new StringBuilder("(?m)^").append(Pattern.quote(name));
        if (labelsInOrder.length > 0) {
            pattern.append("\\{");
            for (int i = 0; i < labelsInOrder.length; i += 2) {
                pattern.append("(?=[^}]*").append(Pattern.quote(labelsInOrder[i] + "=\"" + labelsInOrder[i + 1] + "\""))
                        .append(")");
            }
            pattern.append("[^}]*\\}");
        }
        pattern.append(" ([0-9.eE+-]+)$");
        Matcher m = Pattern.compile(pattern.toString()).matcher(metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    public long count(String sql) {
        try (Connection c = DriverManager.getConnection(gateway.jdbcUrl(), "floorgate", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public void stop() {
        if (!stopped) {
            stopped = true;
            await(gateway.stop());
            await(vertx.close());
        }
    }

    @Override
    public void close() {
        stop();
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
