package io.floorgate.gateway;

import static io.floorgate.gateway.testing.StaffAccounts.ASSOCIATE;
import static io.floorgate.gateway.testing.StaffAccounts.passwordOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.StaffAccounts;
import io.floorgate.gateway.testing.StaffClient;
import io.floorgate.gateway.testing.StaffClient.Answer;
import io.floorgate.gateway.testing.TestStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staff actions taken with a staff login instead of the order system's token: hand-off and the staff stream. */
class StaffActionsTest {

    private static final HttpClient HTTP = RunningGateway.httpClient();

    @TempDir
    Path dir;

    private RunningGateway gateway;
    private StaffClient associate;
    private String csrf;

    @BeforeEach
    void start() {
        gateway = RunningGateway.start(TestStore.parse(TestStore.yaml(10_000, 10_000, "5ms")
                + StaffAccounts.yaml("")), dir);
        associate = StaffClient.from(gateway, "127.0.0.1");
        csrf = associate.login(ASSOCIATE, passwordOf(ASSOCIATE)).json().getString("csrfToken");
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void handOff_whenAnAssociatesCookieAndCsrfTokenAreSent_thenPassesAuthenticationWithoutTheOrderSystemsToken() {
        Answer withLogin = associate.post("/api/v1/orders/order-1/handoff", csrf);
        Answer withoutCsrf = associate.post("/api/v1/orders/order-1/handoff", null);
        Answer anonymous = StaffClient.from(gateway, "127.0.0.1").post("/api/v1/orders/order-1/handoff", null);

        // Past authentication: the pickup stage itself answers that there is no such order.
        assertThat(withLogin.status()).isEqualTo(404);
        assertThat(withLogin.json().getString("error")).isEqualTo("order_not_found");
        assertThat(withoutCsrf.status()).isEqualTo(403);
        assertThat(withoutCsrf.json().getString("error")).isEqualTo("csrf_token_invalid");
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void staffStream_whenOpenedWithTheSessionCookie_thenSaysHello() throws Exception {
        LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
        WebSocket socket = HTTP.newWebSocketBuilder().header("Cookie", associate.cookie())
                .header("Origin", "http://127.0.0.1:" + gateway.gateway().httpPort())
                .buildAsync(streamUri(), collecting(received)).get(10, TimeUnit.SECONDS);

        JsonObject hello = received.poll(10, TimeUnit.SECONDS);
        assertThat(hello).isNotNull();
        assertThat(hello.getString("type")).isEqualTo("hello");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    @Test
    void staffStream_whenOpenedFromAnotherSitesPageOrWithoutALogin_thenIsRefused() {
        assertThatThrownBy(() -> HTTP.newWebSocketBuilder().header("Cookie", associate.cookie())
                .header("Origin", "https://evil.example").buildAsync(streamUri(), collecting(new LinkedBlockingQueue<>()))
                .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(
                        WebSocketHandshakeException.class, e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        assertThatThrownBy(() -> HTTP.newWebSocketBuilder()
                .buildAsync(streamUri(), collecting(new LinkedBlockingQueue<>())).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(
                        WebSocketHandshakeException.class, e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    }

    private URI streamUri() {
        return URI.create("ws://127.0.0.1:" + gateway.gateway().httpPort() + "/api/v1/staff/stream");
    }

    private static WebSocket.Listener collecting(LinkedBlockingQueue<JsonObject> received) {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                received.add(new JsonObject(data.toString()));
                webSocket.request(1);
                return null;
            }
        };
    }
}
