package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.StaffAccounts;
import io.floorgate.gateway.testing.StaffClient;
import io.floorgate.gateway.testing.TestStore;
import io.floorgate.gateway.testing.WellBehavedDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile HTTP and WebSocket clients at the gateway's HTTP socket: each is refused, counted under its reason in
 * {@code floorgate_http_rejected_total}, and its connection closed, while a well-behaved kiosk keeps publishing QoS 1
 * events over MQTT and keeps getting them acknowledged.
 */
class HostileHttpClientTest {

    private static final String LIMITS = "maxEventBytes: 1024, devicePublishRate: 10000, devicePublishBurst: 10000,"
            + " maxDevicesConnected: 10, httpMaxHeaderBytes: 2048, httpMaxBodyBytes: 1024, httpBodyTimeout: 1s,"
            + " webSocketMaxFrameBytes: 1024, webSocketMessageRate: 1, webSocketMessageBurst: 5";
    private static final int READ_TIMEOUT_MS = 10_000;
    private static final int POLICY_VIOLATION = 1008;

    @TempDir
    Path dataDir;

    private RunningGateway gw;
    private WellBehavedDevice kiosk;

    @BeforeEach
    void start() throws Exception {
        gw = RunningGateway.start(TestStore.parse(TestStore.yaml(LIMITS, "5ms", "") + StaffAccounts.yaml("")),
                dataDir);
        kiosk = WellBehavedDevice.start(gw);
    }

    @AfterEach
    void wellBehavedKioskKeptBeingAcknowledged(TestInfo test) throws Exception {
        try {
            kiosk.assertKeptBeingAcknowledged(test.getDisplayName());
        } finally {
            kiosk.close();
            gw.close();
        }
    }

    private double rejected(String reason) {
        return gw.metric("floorgate_http_rejected_total", "reason", reason);
    }

    private Socket http() throws IOException {
        Socket socket = new Socket("127.0.0.1", gw.gateway().httpPort());
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    /** Everything the gateway sends until it closes the connection; fails on the read timeout instead. */
    private static String readUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        for (int n; (n = in.read(chunk)) >= 0; ) {
            all.write(chunk, 0, n);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void head_whenHeadersAreOversized_thenRefused431AndCounted() throws Exception {
        try (Socket socket = http()) {
            socket.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: gateway\r\nX-Padding: "
                    + "a".repeat(4096) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntilClosed(socket)).startsWith("HTTP/1.1 431");
        }
        assertThat(rejected("head_too_large")).isEqualTo(1);
    }

    @Test
    void body_whenLargerThanTheLimit_thenRefused413AndTheConnectionClosedUnread() throws Exception {
        try (Socket socket = http()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/sessions HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[4096]);
            String answer = readUntilClosed(socket);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("body_too_large");
        }
        assertThat(rejected("body_too_large")).isEqualTo(1);
    }

    @Test
    void body_whenItTricklesIn_thenRefused408AtTheDeadlineAndTheConnectionClosed() throws Exception {
        String body = AppClient.checkInBody(true);
        try (Socket socket = http()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/sessions HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                try {
                    for (byte b : body.getBytes(StandardCharsets.US_ASCII)) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(100); // the hostile client's pace
                    }
                } catch (IOException | InterruptedException closed) {
                    // the gateway closed the connection, or the test ended
                }
            });
            String answer = readUntilClosed(socket);
            assertThat(trickle).as("the body was still trickling when the answer came").isNotDone();
            assertThat(answer).startsWith("HTTP/1.1 408").contains("body_timeout");
        }
        assertThat(rejected("body_timeout")).isEqualTo(1);
    }

    /** Collects how the gateway closed a WebSocket. */
    private static final class Closing implements WebSocket.Listener {
        final CompletableFuture<Integer> status = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            status.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            status.completeExceptionally(error);
        }
    }

    @Test
    void shopperStream_whenTheAppFloodsIt_thenClosedWithPolicyViolationAndCounted() throws Exception {
        AppClient.Session shopper = new AppClient(gw).checkIn(true);
        Closing closing = new Closing();
        WebSocket socket = RunningGateway.httpClient().newWebSocketBuilder().buildAsync(URI.create(
                "ws://127.0.0.1:" + gw.gateway().httpPort() + "/api/v1/sessions/" + shopper.id() + "/stream?token="
                        + shopper.token()), closing).get(10, TimeUnit.SECONDS);
        try {
            for (int i = 0; i < 100 && !closing.status.isDone(); i++) {
                socket.sendText("{\"hello\": " + i + "}", true).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception closedByGateway) {
            // the gateway closed the socket while the flood went on
        }
        assertThat(closing.status.get(10, TimeUnit.SECONDS)).isEqualTo(POLICY_VIOLATION);
        await().atMost(Duration.ofSeconds(5)).until(() -> rejected("websocket_flood") == 1);
        socket.abort();
    }

    @Test
    void opsStream_whenAFrameIsOverTheLimit_thenClosedAndCounted() throws Exception {
        StaffClient associate = StaffClient.from(gw, "127.0.0.1");
        assertThat(associate.login(StaffAccounts.ASSOCIATE, StaffAccounts.passwordOf(StaffAccounts.ASSOCIATE))
                .status()).isEqualTo(200);
        Closing closing = new Closing();
        WebSocket socket = RunningGateway.httpClient().newWebSocketBuilder().header("Cookie", associate.cookie())
                .buildAsync(URI.create("ws://127.0.0.1:" + gw.gateway().httpPort() + "/api/v1/staff/ops-stream"),
                        closing).get(10, TimeUnit.SECONDS);
        try {
            socket.sendText("x".repeat(8 * 1024), true).get(10, TimeUnit.SECONDS);
        } catch (Exception closedByGateway) {
            // the gateway closed the socket while the frame went out
        }
        // Netty drops the connection on the oversized frame (1006 at the client) rather than closing with 1009.
        assertThat(closing.status.get(10, TimeUnit.SECONDS)).as("closed").isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> rejected("websocket_frame_too_large") == 1);
        socket.abort();
    }
}
