package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.config.ReloadResult;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/privacy}: open to anyone, and its periods are the retention in force, a reload included. */
class PrivacyNoticeTest {

    @TempDir
    Path dir;

    @Test
    void privacy_whenAskedByAnyone_thenSaysWhatIsKeptForHowLong_theConsents_andHowToAskForAccessOrErasure_asConfigured()
            throws Exception {
        Path file = dir.resolve("store.yaml");
        Files.writeString(file, store("zoneVisits: 30d, sessions: 7d", "delete"));
        try (RunningGateway gw = RunningGateway.start(new GatewaySettings(StoreConfigLoader.load(file),
                Optional.of(file), dir.resolve("data"), false))) {
            JsonObject notice = privacy(gw);

            assertThat(kept(notice, "zone_visits")).isEqualTo(Duration.ofDays(30).toSeconds());
            assertThat(item(notice, "zone_visits").getString("onlyWithConsent")).isEqualTo("location");
            assertThat(item(notice, "zone_visits").getJsonObject("kept").getString("text")).startsWith("30 days");
            assertThat(kept(notice, "session")).isEqualTo(Duration.ofDays(7).toSeconds());
            assertThat(notice.getJsonArray("collected")).extracting(o -> ((JsonObject) o).getString("data"))
                    .containsExactly("session", "zone_visits", "touches", "orders", "device_events",
                            "upstream_summaries");
            assertThat(notice.getJsonArray("consents")).extracting(o -> ((JsonObject) o).getString("consent"))
                    .containsExactly("location", "analytics");
            assertThat(consent(notice, "location").getString("onLocationWithdrawn")).isEqualTo("delete");
            assertThat(consent(notice, "location").getString("onWithdrawal")).contains("deleted");
            assertThat(notice.getJsonObject("requests").getJsonObject("access").getString("route"))
                    .isEqualTo("GET /api/v1/privacy/customers/{customerRef}");
            assertThat(notice.getJsonObject("requests").getJsonObject("erasure").getString("route"))
                    .isEqualTo("DELETE /api/v1/privacy/customers/{customerRef}");

            Files.writeString(file, store("zoneVisits: 2d, sessions: 12h", "anonymize"));
            // The admin's reload; the file watcher may have applied the edit a moment before (then: unchanged).
            assertThat(RunningGateway.await(gw.gateway().reloadConfig()).outcome())
                    .isIn(ReloadResult.Outcome.APPLIED, ReloadResult.Outcome.UNCHANGED);
            assertThat(gw.metric("floorgate_config_reloads_total", "result", "applied")).isEqualTo(1);
            JsonObject reloaded = privacy(gw);

            assertThat(kept(reloaded, "zone_visits")).isEqualTo(Duration.ofDays(2).toSeconds());
            assertThat(item(reloaded, "zone_visits").getJsonObject("kept").getString("text")).startsWith("2 days");
            assertThat(kept(reloaded, "session")).isEqualTo(Duration.ofHours(12).toSeconds());
            assertThat(item(reloaded, "session").getJsonObject("kept").getString("text")).endsWith("then 12 hours.");
            assertThat(consent(reloaded, "location").getString("onLocationWithdrawn")).isEqualTo("anonymize");
            assertThat(gw.metric("floorgate_api_requests_total", "route", "GET /api/v1/privacy", "status", "200"))
                    .isEqualTo(2);
        }
    }

    private static String store(String retention, String onLocationWithdrawn) {
        return TestStore.yaml(10_000, 10_000, "5ms") + "retention: { " + retention + " }\n"
                + "sessions: { onLocationWithdrawn: " + onLocationWithdrawn + " }\n";
    }

    private static JsonObject privacy(RunningGateway gw) {
        HttpResponse<String> response = gw.get("/api/v1/privacy");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        return new JsonObject(response.body());
    }

    private static long kept(JsonObject notice, String data) {
        return item(notice, data).getJsonObject("kept").getLong("seconds");
    }

    private static JsonObject item(JsonObject notice, String data) {
        return find(notice.getJsonArray("collected"), "data", data);
    }

    private static JsonObject consent(JsonObject notice, String consent) {
        return find(notice.getJsonArray("consents"), "consent", consent);
    }

    private static JsonObject find(JsonArray items, String key, String value) {
        List<JsonObject> found = items.stream().map(JsonObject.class::cast)
                .filter(o -> value.equals(o.getString(key))).toList();
        assertThat(found).as(key + " " + value).hasSize(1);
        return found.get(0);
    }
}
