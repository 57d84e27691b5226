package io.floorgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.floorgate.config.Listeners;
import io.floorgate.config.Sessions;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.FuzzedGateway;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.Shoppers;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every JSON body the HTTP API reads, with any bytes, sent over real HTTP/1.1 to the demo store's gateway on a free
 * port: check-in (with its consent object), the order system's READY, the shopper's "on my way" and staff login.
 * The contract, for every input: the answer is a success, or a 4xx with the API's JSON error ({@code error} and
 * {@code message}); never a 5xx, never another body, and nothing our handlers do throws out to Vert.x.
 *
 * <p>Input layout: byte 0 picks the route, byte 1 the Content-Type, the rest is the body. The gateway is started once
 * for all inputs; what an input creates is bounded (a session checked in is checked out again, orders reuse four ids,
 * staff login locks this address after a few failures and answers 429 from then on).
 * In the normal build this replays the committed inputs under {@code ApiBodyFuzzTestInputs};
 * {@code gateway/bench/fuzz.sh} fuzzes it.
 */
class ApiBodyFuzzTest {

    private static final HttpClient HTTP = RunningGateway.httpClient();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String SYSTEM_TOKEN = "order-system-token-for-the-fuzz-test";
    private static final String CUSTOMER = "customer-fuzz";
    private static final String OWN_ORDER = "fz-own";
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=UTF-8",
            "text/plain");

    /** The routes that read a body. */
    private enum Target { CHECK_IN, ORDER_READY, ON_MY_WAY, STAFF_LOGIN }

    @TempDir
    static Path dataDir;

    private static FuzzedGateway gateway;
    private static Shoppers.CheckedIn shopper;
    private static int putCount;

    @BeforeAll
    static void start() throws Exception {
        StoreConfig demo = StoreConfigLoader.loadDemo().withListeners(new Listeners("127.0.0.1", 0, 0,
                Optional.empty()));
        StoreConfig config = new StoreConfig(demo.source(), demo.storeId(), demo.chainId(), demo.name(),
                demo.floorPlan(), demo.zones(), demo.devices(), demo.products(), demo.pickup(), demo.limits(),
                demo.listeners(), demo.ingest(), demo.upstream(), demo.retention(),
                new Sessions(demo.sessions().inactivityTimeout(), demo.sessions().rotationPeriod(),
                        Optional.of(SYSTEM_TOKEN)), demo.staff());
        gateway = FuzzedGateway.start(config, dataDir);
        AppClient app = new AppClient(gateway.gateway().httpPort());
        shopper = Shoppers.checkIn(app, demo.storeId(), false, Optional.of(CUSTOMER));
        String ready = new JsonObject().put("status", "READY").put("customerRef", CUSTOMER)
                .put("pickupPointId", "counter-1").put("code", "code-own").encode();
        assertThat(app.send("PUT", ApiRouter.PREFIX + "/orders/" + OWN_ORDER, SYSTEM_TOKEN, ready).statusCode())
                .isEqualTo(201);
        assertThat(app.send("POST", ApiRouter.PREFIX + "/sessions/" + shopper.session().id() + "/orders/" + OWN_ORDER,
                shopper.token(), null).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @FuzzTest
    void anyBody_isAnsweredWithSuccessOrAJsonClientError(byte[] input) throws Exception {
        FuzzedGateway.allowLoopbackConnections();
        if (input.length < 2) {
            return;
        }
        Target target = Target.values()[Byte.toUnsignedInt(input[0]) % Target.values().length];
        String contentType = CONTENT_TYPES.get(Byte.toUnsignedInt(input[1]) % CONTENT_TYPES.size());
        byte[] body = Arrays.copyOfRange(input, 2, input.length);

        HttpResponse<String> response = switch (target) {
            case CHECK_IN -> send("POST", "/sessions", null, contentType, body);
            case ORDER_READY -> send("PUT", "/orders/fz-" + putCount++ % 4, SYSTEM_TOKEN, contentType, body);
            case ON_MY_WAY -> send("POST", "/sessions/" + shopper.session().id() + "/orders/" + OWN_ORDER
                    + "/on-my-way", shopper.token(), contentType, body);
            case STAFF_LOGIN -> send("POST", "/staff/login", null, contentType, body);
        };

        int status = response.statusCode();
        String what = target + " answered " + status + " " + response.body();
        if (status >= 200 && status < 300) {
            assertThat(contentTypeOf(response)).as(what).isEqualTo(ErrorResponses.JSON);
            JsonObject answer = jsonObject(response.body(), what);
            if (target == Target.CHECK_IN) {
                checkOut(answer);
            }
        } else {
            assertThat(status).as(what).isBetween(400, 499);
            assertThat(contentTypeOf(response)).as(what).isEqualTo(ErrorResponses.JSON);
            JsonObject error = jsonObject(response.body(), what);
            assertThat(error.getValue("error")).as(what).isInstanceOf(String.class);
            assertThat(error.getString("error")).as(what).matches("[a-z_]+");
            assertThat(error.getValue("message")).as(what).isInstanceOf(String.class);
            assertThat(error.getString("message")).as(what).isNotBlank();
        }
        gateway.rethrowEscaped();
    }

    /** A session an input opened is closed again, so that inputs never add up to the session bound. */
    private static void checkOut(JsonObject checkIn) {
        HttpResponse<String> out = new AppClient(gateway.gateway().httpPort()).delete(ApiRouter.PREFIX + "/sessions/"
                + checkIn.getString("sessionId"), checkIn.getString("token"));
        assertThat(out.statusCode()).as("check-out after a fuzzed check-in").isEqualTo(204);
    }

    private static HttpResponse<String> send(String method, String path, String token, String contentType,
                                             byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + gateway.gateway().httpPort() + ApiRouter.PREFIX + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String contentTypeOf(HttpResponse<String> response) {
        return response.headers().firstValue("content-type").orElse("(none)");
    }

    private static JsonObject jsonObject(String text, String what) {
        try {
            return new JsonObject(text);
        } catch (DecodeException e) {
            throw new AssertionError(what + ": not a JSON object", e);
        }
    }
}
