package io.floorgate.gateway;

import static io.floorgate.gateway.testing.StaffAccounts.ADMIN;
import static io.floorgate.gateway.testing.StaffAccounts.passwordOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.SelfSignedCertificate;
import io.floorgate.gateway.testing.StaffAccounts;
import io.floorgate.gateway.testing.StaffClient;
import io.floorgate.gateway.testing.StaffClient.Answer;
import io.floorgate.gateway.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP listener over TLS with {@code listeners.httpTls}: the API answers over HTTPS only, cookies are Secure. */
class StaffHttpsTest {

    @TempDir
    Path dir;

    private SelfSignedCertificate certificate;
    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        certificate = SelfSignedCertificate.writeTo(dir);
        Path configFile = dir.resolve("store.yaml");
        Files.writeString(configFile, TestStore.yaml(10_000, 10_000, "5ms",
                ", httpTls: { cert: cert.pem, key: key.pem }") + StaffAccounts.yaml(""));
        gateway = RunningGateway.start(new GatewaySettings(StoreConfigLoader.load(configFile), Optional.empty(),
                dir.resolve("data"), false));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void login_whenTheListenerSpeaksTls_thenAnswersOverHttpsWithASecureCookie() throws Exception {
        StaffClient browser = StaffClient.over(gateway, "127.0.0.1", certificate.trustingSocketFactory());

        Answer login = browser.login(ADMIN, passwordOf(ADMIN));

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.header("Set-Cookie").orElseThrow()).containsIgnoringCase("; Secure")
                .containsIgnoringCase("; HttpOnly").containsIgnoringCase("; SameSite=Strict");
        assertThat(browser.get("/api/v1/staff/me").json().getString("role")).isEqualTo("admin");
        assertThat(browser.get("/health/ready").status()).isEqualTo(200);
    }

    @Test
    void request_whenSentAsPlainHttpToTheTlsListener_thenIsNotAnswered() {
        StaffClient plain = StaffClient.from(gateway, "127.0.0.1");

        // The listener closes the connection at the first bytes that are no TLS handshake: no HTTP answer comes back.
        assertThatThrownBy(() -> plain.get("/health/ready")).isInstanceOf(IllegalStateException.class);
    }
}
