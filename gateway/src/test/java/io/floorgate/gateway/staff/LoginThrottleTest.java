package io.floorgate.gateway.staff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.floorgate.config.StaffSessionPolicy.LoginLockout;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final LoginLockout LOCKOUT = new LoginLockout(3, Duration.ofMinutes(15), Duration.ofMinutes(10));

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final LoginThrottle throttle = new LoginThrottle(() -> LOCKOUT, clock::get, metrics);

    @Test
    void admit_whenFailuresReachTheLimit_thenLocksForTheDurationCountedFromTheLastFailure() {
        failTimes("anna", "10.0.0.1", 2);
        clock.addAndGet(60_000);
        failTimes("anna", "10.0.0.1", 1);

        assertThat(throttle.admit("anna", "10.0.0.9")).contains(LOCKOUT.duration());
        clock.addAndGet(LOCKOUT.duration().toMillis() - 1);
        assertThat(throttle.admit("anna", "10.0.0.9")).contains(Duration.ofMillis(1));
        clock.addAndGet(1);
        assertThat(throttle.admit("anna", "10.0.0.9")).isEmpty();
    }

    @Test
    void admit_whenFailuresAreOlderThanTheWindow_thenTheyAreForgotten() {
        failTimes("anna", "10.0.0.1", 2);
        clock.addAndGet(LOCKOUT.window().toMillis());
        failTimes("anna", "10.0.0.1", 2);

        assertThat(throttle.admit("anna", "10.0.0.1")).isEmpty();
    }

    @Test
    void admit_whenAttemptsInFlightWouldPassTheLimit_thenTheNextWaitsUntilTheyEnd() {
        assertThat(throttle.admit("anna", "10.0.0.1")).isEmpty();
        assertThat(throttle.admit("anna", "10.0.0.2")).isEmpty();
        assertThat(throttle.admit("anna", "10.0.0.3")).isEmpty();

        assertThat(throttle.admit("anna", "10.0.0.4")).contains(LoginThrottle.IN_FLIGHT_RETRY);
        throttle.abandoned("anna", "10.0.0.1");
        assertThat(throttle.admit("anna", "10.0.0.4")).isEmpty();
    }

    @Test
    void succeeded_forgetsTheAccountsFailuresButNotTheAddresss() {
        failTimes("anna", "10.0.0.1", 2);
        throttle.admit("anna", "10.0.0.1");
        throttle.succeeded("anna", "10.0.0.1");

        failTimes("anna", "10.0.0.2", 2);
        assertThat(throttle.admit("anna", "10.0.0.3")).isEmpty();
        throttle.abandoned("anna", "10.0.0.3");
        failTimes("ben", "10.0.0.1", 1);
        assertThat(throttle.admit("carl", "10.0.0.1")).isPresent();
    }

    @Test
    void admit_whenMoreKeysThanTheBound_thenTheLeastRecentlySeenIsForgottenAndCounted() {
        failTimes("anna", "10.0.0.1", 3);
        for (int i = 0; i < LoginThrottle.MAX_TRACKED; i++) {
            throttle.admit("id-" + i, "10.1." + (i / 256) + "." + (i % 256));
            throttle.abandoned("id-" + i, "10.1." + (i / 256) + "." + (i % 256));
        }

        assertThat(metrics.get("floorgate.staff.login.throttle.evicted").counter().count()).isEqualTo(2);
        assertThat(throttle.admit("anna", "10.0.0.1")).isEmpty();
    }

    private void failTimes(String id, String address, int times) {
        for (int i = 0; i < times; i++) {
            Optional<Duration> admitted = throttle.admit(id, address);
            assertThat(admitted).isEmpty();
            throttle.failed(id, address);
        }
    }
}
