package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

import io.floorgate.gateway.linking.Customer;
import io.floorgate.gateway.upstream.Pseudonyms;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shopper session's life over HTTP: check-in, check-out, a gateway restart, expiry. */
class ShopperSessionTest {

    @TempDir
    Path dataDir;

    private RunningGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private AppClient start() {
        gateway = RunningGateway.start(TestStore.config(), dataDir);
        return new AppClient(gateway);
    }

    @Test
    void checkIn_whenBodyIsValid_thenAnswers201WithTokenAndAdvertisingKeyAndTheRowIsCommitted() {
        AppClient app = start();

        HttpResponse<String> response = app.post("/api/v1/sessions", "application/json", AppClient.checkInBody(true));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        JsonObject body = new JsonObject(response.body());
        String id = body.getString("sessionId");
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(response.headers().firstValue("location")).contains("/api/v1/sessions/" + id);
        assertThat(Base64.getUrlDecoder().decode(body.getString("token"))).hasSize(32);
        JsonObject advertising = body.getJsonObject("advertising");
        assertThat(Base64.getDecoder().decode(advertising.getString("key"))).hasSize(32);
        assertThat(advertising.getLong("rotationPeriodSeconds")).isEqualTo(60);
        assertThat(advertising.getInteger("idBytes")).isEqualTo(16);
        assertThat(advertising.getString("derivation")).startsWith("HMAC-SHA256(key, slot");
        JsonObject touch = body.getJsonObject("touch");
        assertThat(touch.getInteger("tokenBytes")).isEqualTo(16);
        assertThat(touch.getString("derivation")).startsWith("HMAC-SHA256(key, \"floorgate-touch-v1\" || slot");
        assertThat(body.getLong("expiresAfterSeconds")).isEqualTo(Duration.ofMinutes(30).toSeconds());
        assertThat(gateway.count("SELECT COUNT(*) FROM shopper_session WHERE id = '" + id + "' AND ended_at IS NULL"
                + " AND consent_location AND NOT consent_analytics AND customer_hash IS NOT NULL AND customer_pseudonym IS NOT NULL")).isEqualTo(1);
        assertThat(gateway.gateway().sessions().find(id)).isPresent();
    }

    @Test
    void checkIn_whenTwoShoppersCheckIn_thenTheirIdsTokensAndKeysDiffer() {
        AppClient app = start();

        AppClient.Session first = app.checkIn(true);
        AppClient.Session second = app.checkIn(true);

        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(first.token()).isNotEqualTo(second.token());
        assertThat(first.checkIn().getJsonObject("advertising").getString("key"))
                .isNotEqualTo(second.checkIn().getJsonObject("advertising").getString("key"));
        assertThat(gateway.count("SELECT COUNT(*) FROM shopper_session WHERE token_hash IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void checkOut_withTheSessionsToken_thenAnswers204AndTheSessionIsEndedAndGone() {
        AppClient app = start();
        AppClient.Session session = app.checkIn(true);

        HttpResponse<String> response = app.delete("/api/v1/sessions/" + session.id(), session.token());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(gateway.count("SELECT COUNT(*) FROM shopper_session WHERE id = '" + session.id()
                + "' AND end_reason = 'checked_out' AND ended_at IS NOT NULL")).isEqualTo(1);
        assertThat(gateway.gateway().sessions().find(session.id())).isEmpty();
        HttpResponse<String> again = app.delete("/api/v1/sessions/" + session.id(), session.token());
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(again.body()).getString("error")).isEqualTo("session_not_found");
    }

    @Test
    void session_whenTheGatewayRestartsOnTheSameData_thenItsTokenStillWorks() {
        AppClient app = start();
        AppClient.Session session = app.checkIn(true);
        gateway.close();

        app = start();

        HttpResponse<String> location = app.get("/api/v1/sessions/" + session.id() + "/location", session.token());
        assertThat(location.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(location.body()).getString("error")).isEqualTo("location_unknown");
        assertThat(gateway.gateway().sessions().find(session.id())).hasValueSatisfying(s -> {
            assertThat(s.locationConsent()).isTrue();
            assertThat(s.customer()).map(Customer::pseudonym).as("the same shopper to the chain after the restart")
                    .contains(new Pseudonyms(gateway.gateway().config().upstream().hashKey()).customer("customer-42"));
            assertThat(Base64.getEncoder().encodeToString(s.advertisingKey()))
                    .isEqualTo(session.checkIn().getJsonObject("advertising").getString("key"));
        });
        assertThat(app.delete("/api/v1/sessions/" + session.id(), session.token()).statusCode()).isEqualTo(204);
    }

    @Test
    void session_whenIdleLongerThanTheTimeoutWhileTheGatewayWasDown_thenIsExpiredAtStart() throws SQLException {
        AppClient app = start();
        AppClient.Session session = app.checkIn(true);
        gateway.close();
        lastActiveAgo(session.id(), Duration.ofMinutes(31));

        app = start();

        HttpResponse<String> response = app.get("/api/v1/sessions/" + session.id() + "/location", session.token());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(response.body()).getString("error")).isEqualTo("session_not_found");
        assertThat(gateway.count("SELECT COUNT(*) FROM shopper_session WHERE id = '" + session.id()
                + "' AND end_reason = 'expired'")).isEqualTo(1);
    }

    /** Rewrites a stopped gateway's database as if the session's last request were that long ago. */
    private void lastActiveAgo(String sessionId, Duration idle) throws SQLException {
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("floorgate");
        try (Connection c = DriverManager.getConnection(url, "floorgate", "");
             PreparedStatement st = c.prepareStatement("UPDATE shopper_session SET last_active_at = ? WHERE id = ?")) {
            st.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minus(idle));
            st.setString(2, sessionId);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }
}
