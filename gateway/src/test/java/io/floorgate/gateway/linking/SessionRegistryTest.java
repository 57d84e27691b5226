package io.floorgate.gateway.linking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.floorgate.config.Sessions;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.GroupCommitter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
    private final List<String> consentChanges = new CopyOnWriteArrayList<>();
    /** What the test listener answers a withdrawal with: the test completes it when the listener has let go. */
    private final AtomicReference<Promise<Void>> lettingGo = new AtomicReference<>();
    private final AtomicReference<Sessions> settings = new AtomicReference<>(
            new Sessions(TIMEOUT, Duration.ofSeconds(60), Optional.empty()));
    private Database database;
    private GroupCommitter committer;
    private SessionRegistry registry;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dataDir);
        committer = new GroupCommitter(database, 100, 10, Duration.ofMillis(1), false, new SimpleMeterRegistry());
        registry = new SessionRegistry(BOUND, committer, database.sealer(), settings::get, clock::get,
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

            @Override
            public Future<Void> consentWithdrawn(ShopperSession session, Consent consent) {
                consentChanges.add(consent.field() + " withdrawn");
                Promise<Void> letGo = Promise.promise();
                lettingGo.set(letGo);
                return letGo.future();
            }

            @Override
            public void consentGiven(ShopperSession session, Consent consent) {
                consentChanges.add(consent.field() + " given");
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

    @Test
    void changeConsent_whenLocationIsWithdrawn_thenItIsInEffectAtOnce_andCommittedWithTheVisitsDeleted_onlyOnceListenersLetGo()
            throws Exception {
        String id = await(registry.checkIn(REQUEST)).session().id();
        storeVisit(id);

        Future<Optional<ShopperSession>> change = registry.changeConsent(id, Map.of(Consent.LOCATION, false));

        assertThat(registry.find(id).orElseThrow().locationConsent()).as("in effect before it is stored").isFalse();
        assertThat(consentChanges).containsExactly("location withdrawn");
        assertThat(change.isComplete()).isFalse();
        committer.drain().get(5, TimeUnit.SECONDS);
        assertThat(query("SELECT consent_location FROM shopper_session WHERE id = '" + id + "'")).isEqualTo("TRUE");
        assertThat(query("SELECT COUNT(*) FROM zone_visit")).as("nothing queued before the listener let go")
                .isEqualTo("1");

        lettingGo.get().complete();

        assertThat(await(change)).hasValueSatisfying(s -> assertThat(s.locationConsent()).isFalse());
        assertThat(query("SELECT consent_location FROM shopper_session WHERE id = '" + id + "'")).isEqualTo("FALSE");
        assertThat(query("SELECT COUNT(*) FROM zone_visit")).isEqualTo("0");
    }

    @Test
    void changeConsent_whenThePolicyIsAnonymize_thenTheVisitsStayUnderARandomIdThatIsNoSessions() throws Exception {
        settings.set(new Sessions(TIMEOUT, Duration.ofSeconds(60), Optional.empty(),
                Sessions.LocationWithdrawal.ANONYMIZE));
        String id = await(registry.checkIn(REQUEST)).session().id();
        storeVisit(id);

        Future<Optional<ShopperSession>> change = registry.changeConsent(id, Map.of(Consent.LOCATION, false));
        lettingGo.get().complete();
        await(change);

        String kept = query("SELECT session_id FROM zone_visit");
        assertThat(kept).startsWith("anon-").doesNotContain(id).hasSize("anon-".length() + id.length());
    }

    @Test
    void changeConsent_whenAnotherChangeIsUnderWay_thenRefused_andOnceAnsweredTheNextIsTaken() throws Exception {
        String id = await(registry.checkIn(REQUEST)).session().id();
        Future<Optional<ShopperSession>> first = registry.changeConsent(id, Map.of(Consent.LOCATION, false));

        assertThatThrownBy(() -> await(registry.changeConsent(id, Map.of(Consent.ANALYTICS, true))))
                .rootCause().satisfies(e -> assertThat(((SessionRefused) e).reason())
                        .isEqualTo(SessionRefused.Reason.CONSENT_CHANGING));

        lettingGo.get().complete();
        await(first);
        assertThat(await(registry.changeConsent(id, Map.of(Consent.ANALYTICS, true)))).hasValueSatisfying(s -> {
            assertThat(s.locationConsent()).isFalse();
            assertThat(s.analyticsConsent()).isTrue();
        });
    }

    @Test
    void changeConsent_whenAConsentIsGiven_thenListenersAreToldOnceItIsStored_andAChangeToNothingWritesNothing()
            throws Exception {
        String id = await(registry.checkIn(REQUEST)).session().id();

        assertThat(await(registry.changeConsent(id, Map.of(Consent.ANALYTICS, true)))).isPresent();
        assertThat(consentChanges).containsExactly("analytics given");
        assertThat(query("SELECT consent_analytics FROM shopper_session WHERE id = '" + id + "'")).isEqualTo("TRUE");
        assertThat(await(registry.changeConsent(id, Map.of(Consent.ANALYTICS, true, Consent.LOCATION, true))))
                .hasValueSatisfying(s -> assertThat(s.analyticsConsent() && s.locationConsent()).isTrue());
        assertThat(consentChanges).hasSize(1);
    }

    @Test
    void changeConsent_whenTheSessionIsNotOpen_thenIsEmpty() throws Exception {
        String id = await(registry.checkIn(REQUEST)).session().id();
        await(registry.checkOut(id));

        assertThat(await(registry.changeConsent(id, Map.of(Consent.LOCATION, false)))).isEmpty();
        assertThat(await(registry.changeConsent("no-such-session", Map.of(Consent.LOCATION, false)))).isEmpty();
        assertThat(consentChanges).isEmpty();
    }

    @Test
    void changeConsent_whenTheWithdrawalCannotBeStored_thenItStaysInEffect_andTheRetryStoresIt() throws Exception {
        try (Locked locked = new Locked()) {
            SessionRegistry registry = locked.registry;
            String id = await(registry.checkIn(REQUEST)).session().id();
            storeVisit(id);

            try (Connection holder = locked.holdRow(id)) {
                assertThatThrownBy(() -> await(registry.changeConsent(id, Map.of(Consent.LOCATION, false))))
                        .rootCause().satisfies(e -> assertThat(((SessionRefused) e).reason())
                                .isEqualTo(SessionRefused.Reason.STORAGE_FAILED));
                holder.rollback();
            }
            assertThat(registry.find(id).orElseThrow().locationConsent()).isFalse();
            assertThat(query("SELECT consent_location FROM shopper_session WHERE id = '" + id + "'")).isEqualTo("TRUE");
            assertThat(locked.metric("withdrawn")).isZero();

            assertThat(await(registry.changeConsent(id, Map.of(Consent.LOCATION, false)))).isPresent();

            assertThat(query("SELECT consent_location FROM shopper_session WHERE id = '" + id + "'"))
                    .isEqualTo("FALSE");
            assertThat(query("SELECT COUNT(*) FROM zone_visit")).isEqualTo("0");
            assertThat(locked.metric("withdrawn")).isEqualTo(1);
            assertThat(await(registry.changeConsent(id, Map.of(Consent.LOCATION, true)))).isPresent();
            assertThat(locked.metric("given")).isEqualTo(1);
        }
    }

    @Test
    void changeConsent_whenAWithdrawalThatCouldNotBeStoredIsTakenBack_thenItIsGivenAtOnce_withNothingToWrite()
            throws Exception {
        try (Locked locked = new Locked()) {
            SessionRegistry registry = locked.registry;
            String id = await(registry.checkIn(REQUEST)).session().id();
            try (Connection holder = locked.holdRow(id)) {
                assertThatThrownBy(() -> await(registry.changeConsent(id, Map.of(Consent.LOCATION, false))))
                        .rootCause().isInstanceOf(SessionRefused.class);
                holder.rollback();
            }

            assertThat(await(registry.changeConsent(id, Map.of(Consent.LOCATION, true))))
                    .hasValueSatisfying(s -> assertThat(s.locationConsent()).isTrue());
            assertThat(locked.given).containsExactly(id);
            assertThat(registry.find(id).orElseThrow().locationConsent()).isTrue();
            assertThat(locked.metric("given")).as("nothing was stored: it was never withdrawn in H2").isZero();
        }
    }

    /**
     * A registry whose committer gives up on a locked row within milliseconds (H2's lock timeout for new
     * connections is lowered before it connects), so a test can make a commit fail by holding the row.
     */
    private final class Locked implements AutoCloseable {
        private static final int LOCK_TIMEOUT_MS = 50;
        final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        final List<String> given = new CopyOnWriteArrayList<>();
        final GroupCommitter committer;
        final SessionRegistry registry;

        Locked() throws Exception {
            try (Connection c = database.connect(); Statement st = c.createStatement()) {
                st.execute("SET DEFAULT_LOCK_TIMEOUT " + LOCK_TIMEOUT_MS);
            }
            committer = new GroupCommitter(database, 100, 10, Duration.ofMillis(1), false, metrics);
            registry = new SessionRegistry(BOUND, committer, database.sealer(), settings::get, clock::get, metrics);
            registry.subscribe(new SessionListener() {
                @Override
                public void started(ShopperSession session) {
                }

                @Override
                public void ended(String sessionId) {
                }

                @Override
                public void consentGiven(ShopperSession session, Consent consent) {
                    given.add(session.id());
                }
            });
        }

        /** Another transaction holding the session's row until it is rolled back. */
        Connection holdRow(String sessionId) throws Exception {
            Connection holder = database.connect();
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.executeUpdate("UPDATE shopper_session SET last_active_at = last_active_at WHERE id = '"
                        + sessionId + "'");
            }
            return holder;
        }

        double metric(String change) {
            return metrics.counter("floorgate.sessions.consent.changes", "consent", "location", "change", change)
                    .count();
        }

        @Override
        public void close() throws Exception {
            committer.close();
        }
    }

    private void storeVisit(String sessionId) throws Exception {
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO zone_visit (session_id, zone_id, entered_at) VALUES ('" + sessionId
                    + "', 'floor', CURRENT_TIMESTAMP)");
        }
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
