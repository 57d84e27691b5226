package io.floorgate.gateway.linking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.floorgate.config.Sessions;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.GroupCommitter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry against a real H2 file and group committer, with a clock the test moves. */
class SessionRegistryTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private static final int BOUND = 2;
    private static final CheckInRequest REQUEST = new CheckInRequest("app-1", Optional.empty(), true, false);

    @TempDir
    Path dataDir;

    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private Database database;
    private GroupCommitter committer;
    private SessionRegistry registry;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dataDir);
        committer = new GroupCommitter(database, 100, 10, Duration.ofMillis(1), false, new SimpleMeterRegistry());
        registry = new SessionRegistry(BOUND, committer, database.sealer(),
                () -> new Sessions(TIMEOUT, Duration.ofSeconds(60), Optional.empty()), clock::get,
                new SimpleMeterRegistry());
        registry.subscribe(new SessionListener() {
            @Override
            public void started(ShopperSession session) {
                started.add(session.id());
            }

            @Override
            public void ended(String sessionId) {
                ended.add(sessionId);
            }
        });
    }

    @AfterEach
    void close() throws Exception {
        committer.close();
        database.close();
    }

    @Test
    void sweep_whenASessionIsIdleForTheTimeout_thenItEndsExpiredAndNoLongerAuthenticates() throws Exception {
        CheckIn checkIn = await(registry.checkIn(REQUEST));
        String id = checkIn.session().id();
        clock.addAndGet(TIMEOUT.toMillis());

        SessionSweep sweep = registry.sweep();
        new SessionTable(database).record(sweep);

        assertThat(sweep.expired()).extracting(SessionActivity::sessionId).containsExactly(id);
        assertThat(registry.authenticate(id, checkIn.token())).isInstanceOf(Authentication.UnknownSession.class);
        assertThat(registry.authenticate(checkIn.token())).isEmpty();
        assertThat(started).containsExactly(id);
        assertThat(ended).containsExactly(id);
        assertThat(query("SELECT end_reason FROM shopper_session WHERE id = '" + id + "'")).isEqualTo("expired");
    }

    @Test
    void authenticate_whenIdlePastTheTimeoutBeforeTheSweep_thenTheSessionIsAlreadyGone() throws Exception {
        CheckIn checkIn = await(registry.checkIn(REQUEST));
        clock.addAndGet(TIMEOUT.toMillis());

        assertThat(registry.authenticate(checkIn.session().id(), checkIn.token()))
                .isInstanceOf(Authentication.UnknownSession.class);
        assertThat(registry.sweep().expired()).extracting(SessionActivity::sessionId)
                .containsExactly(checkIn.session().id());
    }

    @Test
    void sweep_whenASessionWasActiveWithinTheTimeout_thenItStaysOpenAndItsActivityIsWrittenOnce() throws Exception {
        CheckIn checkIn = await(registry.checkIn(REQUEST));
        clock.addAndGet(Duration.ofSeconds(30).toMillis());
        assertThat(registry.authenticate(checkIn.session().id(), checkIn.token()))
                .isInstanceOf(Authentication.Granted.class);
        long activeAt = clock.get();
        clock.addAndGet(Duration.ofSeconds(40).toMillis());

        SessionSweep first = registry.sweep();
        SessionSweep second = registry.sweep();

        assertThat(first.expired()).isEmpty();
        assertThat(first.active()).containsExactly(new SessionActivity(checkIn.session().id(), activeAt));
        assertThat(second.active()).isEmpty();
        assertThat(registry.find(checkIn.session().id())).isPresent();
    }

    @Test
    void authenticate_whenTheTokenIsAnotherSessions_thenIsWrongTokenAndTheOwnTokenFindsItsSession()
            throws Exception {
        CheckIn mine = await(registry.checkIn(REQUEST));
        CheckIn theirs = await(registry.checkIn(REQUEST));

        assertThat(registry.authenticate(mine.session().id(), theirs.token()))
                .isInstanceOf(Authentication.WrongToken.class);
        assertThat(registry.authenticate(mine.token())).map(ShopperSession::id).contains(mine.session().id());
    }

    @Test
    void checkIn_whenTheBoundIsReached_thenIsRefusedUntilASessionEnds() throws Exception {
        CheckIn first = await(registry.checkIn(REQUEST));
        await(registry.checkIn(REQUEST));

        assertThatThrownBy(() -> await(registry.checkIn(REQUEST))).hasRootCauseInstanceOf(SessionRefused.class)
                .rootCause().satisfies(e -> assertThat(((SessionRefused) e).reason())
                        .isEqualTo(SessionRefused.Reason.SESSION_LIMIT));

        assertThat(await(registry.checkOut(first.session().id()))).isTrue();
        assertThat(await(registry.checkIn(REQUEST)).session().id()).isNotEqualTo(first.session().id());
        assertThat(query("SELECT end_reason FROM shopper_session WHERE id = '" + first.session().id() + "'"))
                .isEqualTo("checked_out");
    }

    @Test
    void restore_thenTheOpenSessionsAuthenticateWithTheirTokensAndKeepTheirKeys() throws Exception {
        CheckIn checkIn = await(registry.checkIn(REQUEST));
        SessionRegistry afterRestart = new SessionRegistry(committer, database.sealer(),
                () -> new Sessions(TIMEOUT, Duration.ofSeconds(15), Optional.empty()), clock::get,
                new SimpleMeterRegistry());

        afterRestart.restore(new SessionTable(database).restore(clock.get(), TIMEOUT));

        assertThat(afterRestart.authenticate(checkIn.session().id(), checkIn.token()))
                .isInstanceOfSatisfying(Authentication.Granted.class, granted -> {
                    assertThat(granted.session().advertisingKey()).isEqualTo(checkIn.session().advertisingKey());
                    assertThat(granted.session().rotationPeriod()).isEqualTo(Duration.ofSeconds(60));
                });
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private String query(String sql) throws Exception {
        try (Connection c = database.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
