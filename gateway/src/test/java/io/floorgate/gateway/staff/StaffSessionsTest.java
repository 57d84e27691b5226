package io.floorgate.gateway.staff;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.floorgate.config.PasswordHash;
import io.floorgate.config.Staff;
import io.floorgate.config.StaffAccount;
import io.floorgate.config.StaffRole;
import io.floorgate.config.StaffSessionPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class StaffSessionsTest {

    private static final PasswordHash HASH = new PasswordHash(600_000, new byte[16], new byte[32]);
    private static final PasswordHash OTHER_HASH = new PasswordHash(600_000, new byte[16], new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32});
    private static final StaffAccount ANNA = new StaffAccount("anna", StaffRole.ASSOCIATE, HASH);
    private static final StaffAccount BEN = new StaffAccount("ben", StaffRole.MANAGER, HASH);

    private final AtomicLong clock = new AtomicLong(5_000_000);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AtomicReference<Staff> staff = new AtomicReference<>(staffOf(3, ANNA, BEN));
    private final StaffSessions sessions = new StaffSessions(staff::get, clock::get, new SecureRandom(), metrics);

    @Test
    void open_givesEachSessionItsOwnRandomIdAndCsrfToken() {
        StaffSession first = sessions.open(ANNA);
        StaffSession second = sessions.open(ANNA);

        assertThat(first.id()).hasSize(43).isNotEqualTo(second.id()).isNotEqualTo(first.csrfToken());
        assertThat(first.toString()).doesNotContain(first.id(), first.csrfToken());
    }

    @Test
    void open_whenTheBoundIsReached_thenTheLeastRecentlyUsedSessionEndsAndIsCounted() {
        StaffSession a = sessions.open(ANNA);
        StaffSession b = sessions.open(BEN);
        StaffSession c = sessions.open(ANNA);
        sessions.use(a.id());

        sessions.open(BEN);

        assertThat(sessions.use(b.id())).isEmpty();
        assertThat(sessions.use(a.id())).isPresent();
        assertThat(sessions.use(c.id())).isPresent();
        assertThat(metrics.get("floorgate.staff.sessions.evicted").counter().count()).isEqualTo(1);
    }

    @Test
    void open_whenTheBoundIsReachedButASessionExpired_thenTheExpiredOneGoesFirstThoughUsedLast() {
        staff.set(new Staff(List.of(ANNA, BEN), new StaffSessionPolicy(Duration.ofMinutes(30), Duration.ofHours(1), 3,
                StaffSessionPolicy.DEFAULT.lockout())));
        StaffSession a = sessions.open(ANNA);
        clock.addAndGet(Duration.ofMinutes(40).toMillis());
        StaffSession b = sessions.open(BEN);
        StaffSession c = sessions.open(BEN);
        clock.addAndGet(Duration.ofMinutes(10).toMillis());
        sessions.use(a.id());
        clock.addAndGet(Duration.ofMinutes(11).toMillis());

        sessions.open(BEN);

        assertThat(sessions.check(a.id())).isEmpty();
        assertThat(sessions.check(b.id())).isPresent();
        assertThat(sessions.check(c.id())).isPresent();
        assertThat(metrics.get("floorgate.staff.sessions.evicted").counter().count()).isZero();
    }

    @Test
    void check_doesNotCountAsAUse() {
        StaffSession a = sessions.open(ANNA);
        clock.addAndGet(Duration.ofMinutes(29).toMillis());
        assertThat(sessions.check(a.id())).isPresent();

        clock.addAndGet(Duration.ofMinutes(1).toMillis());

        assertThat(sessions.check(a.id())).isEmpty();
    }

    @Test
    void use_whenTheAccountsRoleChangesInAReload_thenTheNextUseHasTheNewRole() {
        StaffSession a = sessions.open(ANNA);

        staff.set(staffOf(3, new StaffAccount("anna", StaffRole.ADMIN, HASH), BEN));

        assertThat(sessions.use(a.id()).orElseThrow().role()).isEqualTo(StaffRole.ADMIN);
    }

    @Test
    void use_whenTheAccountIsRemovedOrItsPasswordChanged_thenItsSessionsEnd() {
        StaffSession a = sessions.open(ANNA);
        StaffSession b = sessions.open(BEN);

        staff.set(staffOf(3, new StaffAccount("ben", StaffRole.MANAGER, OTHER_HASH)));

        assertThat(sessions.use(a.id())).isEmpty();
        assertThat(sessions.use(b.id())).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void close_endsTheSessionOnce() {
        StaffSession a = sessions.open(ANNA);

        assertThat(sessions.close(a.id())).isTrue();
        assertThat(sessions.close(a.id())).isFalse();
        assertThat(sessions.list()).isEmpty();
    }

    private static Staff staffOf(int maxSessions, StaffAccount... accounts) {
        StaffSessionPolicy defaults = StaffSessionPolicy.DEFAULT;
        return new Staff(List.of(accounts), new StaffSessionPolicy(defaults.idleTimeout(), defaults.absoluteTimeout(),
                maxSessions, defaults.lockout()));
    }
}
