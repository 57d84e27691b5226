package io.floorgate.gateway;

import static io.floorgate.gateway.testing.StaffAccounts.ASSOCIATE;
import static io.floorgate.gateway.testing.StaffAccounts.MANAGER;
import static io.floorgate.gateway.testing.StaffAccounts.passwordOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

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

/**
 * Staff login against a running gateway with real sockets: the cookie's attributes, logout, expiry on a clock the
 * test moves, CSRF, roles, and the lockout per account and per client address.
 */
class StaffLoginTest {

    private static final String LOCAL = "127.0.0.1";
    private static final String OTHER_TABLET = "127.0.0.2";
    private static final String THIRD_TABLET = "127.0.0.3";
    private static final Duration LOCKOUT = Duration.ofMinutes(15);

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private RunningGateway gateway;

    @BeforeEach
    void start() {
        gateway = RunningGateway.start(new GatewaySettings(TestStore.parse(TestStore.yaml(10_000, 10_000, "5ms")
                + StaffAccounts.yaml("")), Optional.empty(), dir, false, clock::get));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void login_whenPasswordIsRight_thenSetsAnHttpOnlySameSiteStrictCookieThatMeAnswersTo() {
        StaffClient tablet = StaffClient.from(gateway, LOCAL);

        Answer login = tablet.login(ASSOCIATE, passwordOf(ASSOCIATE));

        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.header("Set-Cookie").orElseThrow();
        // Attribute names are case-insensitive (RFC 6265, 5.2); Netty writes HTTPOnly.
        assertThat(setCookie).startsWith("fg_staff=").containsIgnoringCase("; Path=/")
                .containsIgnoringCase("; HttpOnly").containsIgnoringCase("; SameSite=Strict")
                .doesNotContainIgnoringCase("Secure").doesNotContainIgnoringCase("Max-Age")
                .doesNotContainIgnoringCase("Expires");
        assertThat(setCookie.split(";", 2)[0].substring("fg_staff=".length())).hasSize(43);
        assertThat(login.json().getString("id")).isEqualTo(ASSOCIATE);
        assertThat(login.json().getString("role")).isEqualTo("associate");
        Answer me = tablet.get("/api/v1/staff/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json()).isEqualTo(login.json());
        assertThat(gateway.metric("floorgate_staff_logins_total", "result", "ok")).isEqualTo(1);
    }

    @Test
    void login_whenPasswordIsWrongOrTheIdUnknown_thenBothAnswerTheSame401AndSetNoCookie() {
        StaffClient tablet = StaffClient.from(gateway, LOCAL);

        Answer wrong = tablet.login(ASSOCIATE, "not-the-password");
        Answer unknown = tablet.login("nobody", "not-the-password");

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body());
        assertThat(wrong.json().getString("error")).isEqualTo("login_failed");
        assertThat(wrong.header("Set-Cookie")).isEmpty();
        assertThat(tablet.get("/api/v1/staff/me").status()).isEqualTo(401);
        assertThat(gateway.metric("floorgate_staff_logins_total", "result", "wrong")).isEqualTo(2);
    }

    @Test
    void login_whenFiveWrongPasswords_thenTheAccountAndTheAddressAreLockedForAWhileEvenForTheRightPassword() {
        StaffClient tablet = StaffClient.from(gateway, LOCAL);
        for (int i = 0; i < 5; i++) {
            assertThat(tablet.login(ASSOCIATE, "guess-" + i).status()).isEqualTo(401);
        }

        Answer locked = tablet.login(ASSOCIATE, passwordOf(ASSOCIATE));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.header("Retry-After")).contains(Long.toString(LOCKOUT.toSeconds()));
        assertThat(locked.json().getString("error")).isEqualTo("login_locked");
        // The address is locked too: another account from the same tablet waits as well.
        assertThat(tablet.login(MANAGER, passwordOf(MANAGER)).status()).isEqualTo(429);

        // Another tablet is counted on its own: its manager logs in, but the locked account stays locked there too.
        StaffClient other = StaffClient.from(gateway, OTHER_TABLET);
        assertThat(other.login(MANAGER, passwordOf(MANAGER)).status()).isEqualTo(200);
        assertThat(other.login(ASSOCIATE, passwordOf(ASSOCIATE)).status()).isEqualTo(429);

        clock.addAndGet(LOCKOUT.toMillis());
        assertThat(other.login(ASSOCIATE, passwordOf(ASSOCIATE)).status()).isEqualTo(200);
        assertThat(tablet.login(MANAGER, passwordOf(MANAGER)).status()).isEqualTo(200);
        assertThat(gateway.metric("floorgate_staff_logins_total", "result", "locked")).isEqualTo(3);
        assertThat(gateway.metric("floorgate_staff_logins_total", "result", "wrong")).isEqualTo(5);
    }

    @Test
    void login_whenTheIdNamesNoAccount_thenItIsLockedAlikeAndTheLockAnswerIsTheSame() {
        StaffClient third = StaffClient.from(gateway, THIRD_TABLET);
        StaffClient tablet = StaffClient.from(gateway, LOCAL);
        for (int i = 0; i < 5; i++) {
            third.login("nobody", "guess-" + i);
            tablet.login(ASSOCIATE, "guess-" + i);
        }

        Answer unknownLocked = StaffClient.from(gateway, OTHER_TABLET).login("nobody", "guess");
        Answer knownLocked = StaffClient.from(gateway, OTHER_TABLET).login(ASSOCIATE, "guess");

        assertThat(unknownLocked.status()).isEqualTo(429);
        assertThat(knownLocked.status()).isEqualTo(429);
        assertThat(unknownLocked.body()).isEqualTo(knownLocked.body());
        assertThat(unknownLocked.header("Retry-After")).isEqualTo(knownLocked.header("Retry-After"));
    }

    @Test
    void logout_endsTheSessionAndClearsTheCookie() {
        StaffClient tablet = StaffClient.from(gateway, LOCAL);
        String csrf = tablet.login(ASSOCIATE, passwordOf(ASSOCIATE)).json().getString("csrfToken");
        String cookie = tablet.cookie();

        Answer logout = tablet.post("/api/v1/staff/logout", csrf);

        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.header("Set-Cookie").orElseThrow()).startsWith("fg_staff=;").contains("Max-Age=0");
        assertThat(tablet.cookie()).isNull();
        assertThat(withCookie(cookie).get("/api/v1/staff/me").status()).isEqualTo(401);
    }

    @Test
    void stateChange_whenTheCsrfHeaderIsMissingOrWrong_thenIsRefused403AndTheSessionStays() {
        StaffClient tablet = StaffClient.from(gateway, LOCAL);
        tablet.login(ASSOCIATE, passwordOf(ASSOCIATE));

        Answer without = tablet.post("/api/v1/staff/logout", null);
        Answer wrong = tablet.post("/api/v1/staff/logout", "not-the-token");

        assertThat(without.status()).isEqualTo(403);
        assertThat(without.json().getString("error")).isEqualTo("csrf_token_invalid");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(tablet.get("/api/v1/staff/me").status()).isEqualTo(200);
    }

    @Test
    void session_whenIdleLongerThanTheTimeout_thenIsRefusedButUseKeepsItOpen() {
        StaffClient tablet = StaffClient.from(gateway, LOCAL);
        tablet.login(ASSOCIATE, passwordOf(ASSOCIATE));

        clock.addAndGet(Duration.ofMinutes(29).toMillis());
        assertThat(tablet.get("/api/v1/staff/me").status()).isEqualTo(200);
        clock.addAndGet(Duration.ofMinutes(29).toMillis());
        assertThat(tablet.get("/api/v1/staff/me").status()).isEqualTo(200);
        clock.addAndGet(Duration.ofMinutes(30).toMillis());

        Answer expired = tablet.get("/api/v1/staff/me");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().getString("error")).isEqualTo("unauthorized");
    }

    @Test
    void session_whenTwelveHoursOld_thenIsRefusedHoweverBusy() {
        StaffClient tablet = StaffClient.from(gateway, LOCAL);
        tablet.login(ASSOCIATE, passwordOf(ASSOCIATE));
        Duration step = Duration.ofMinutes(25);
        long steps = Duration.ofHours(12).toMillis() / step.toMillis();
        for (int i = 0; i < steps; i++) {
            clock.addAndGet(step.toMillis());
            assertThat(tablet.get("/api/v1/staff/me").status()).as("after %d steps", i + 1).isEqualTo(200);
        }

        clock.addAndGet(step.toMillis());

        assertThat(tablet.get("/api/v1/staff/me").status()).isEqualTo(401);
    }

    @Test
    void managerOnlyCall_whenAnAssociateAsks_thenIs403AndAManagerIsAnswered() {
        StaffClient associate = StaffClient.from(gateway, LOCAL);
        associate.login(ASSOCIATE, passwordOf(ASSOCIATE));
        StaffClient manager = StaffClient.from(gateway, OTHER_TABLET);
        manager.login(MANAGER, passwordOf(MANAGER));

        Answer refused = associate.get("/api/v1/staff/sessions");
        Answer answered = manager.get("/api/v1/staff/sessions");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().getString("error")).isEqualTo("role_forbidden");
        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.json().getJsonArray("sessions").stream().map(s -> ((JsonObject) s).getString("id")))
                .containsExactlyInAnyOrder(ASSOCIATE, MANAGER);
        assertThat(answered.body()).doesNotContain(associate.cookie().substring("fg_staff=".length()));
    }

    /** A client presenting a cookie it kept, as an attacker who copied it would. */
    private StaffClient withCookie(String cookie) {
        StaffClient copy = StaffClient.from(gateway, LOCAL);
        copy.setCookie(cookie);
        return copy;
    }
}
