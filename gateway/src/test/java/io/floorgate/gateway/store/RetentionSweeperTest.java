package io.floorgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.floorgate.gateway.linking.SessionTouchRow;
import io.floorgate.gateway.linking.Touch;
import io.floorgate.gateway.linking.TouchKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionSweeperTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @TempDir
    Path dataDir;

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @AfterEach
    void closeVertx() {
        vertx.close().await();
    }

    private RetentionSweeper sweeper(Database db) {
        return new RetentionSweeper(vertx, db, metrics);
    }

    /** A session started and last active at {@code startedAt}, ended at {@code endedAt} or still open (null). */
    private static void insertSession(Connection c, String id, Instant startedAt, Instant endedAt) throws Exception {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO shopper_session (id, token_hash, advertising_key,"
                + " rotation_period_ms, app_instance, consent_location, consent_analytics, started_at, last_active_at,"
                + " ended_at, end_reason) VALUES (?, ?, ?, 60000, 'app', TRUE, FALSE, ?, ?, ?, ?)")) {
            st.setString(1, id);
            byte[] key = new byte[32];
            key[0] = (byte) id.hashCode();
            key[1] = (byte) (id.hashCode() >> 8);
            st.setBytes(2, key);
            st.setBytes(3, key);
            st.setObject(4, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC));
            st.setObject(5, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC));
            st.setObject(6, endedAt == null ? null : OffsetDateTime.ofInstant(endedAt, ZoneOffset.UTC));
            st.setString(7, endedAt == null ? null : "checked_out");
            st.executeUpdate();
        }
    }

    private static String sessionIds(Statement st) throws Exception {
        StringBuilder ids = new StringBuilder();
        try (ResultSet rs = st.executeQuery("SELECT id FROM shopper_session ORDER BY id")) {
            while (rs.next()) {
                ids.append(ids.length() == 0 ? "" : ",").append(rs.getString(1));
            }
        }
        return ids.toString();
    }

    @Test
    void sweep_whenSessionsEndedLongerAgoThanTheirRetention_thenOnlyThoseAreDeletedAndOpenOnesAreKept()
            throws Exception {
        try (Database db = Database.open(dataDir); Connection c = db.connect(); Statement st = c.createStatement()) {
            insertSession(c, "ended-old", NOW.minus(Duration.ofDays(41)), NOW.minus(Duration.ofDays(40)));
            insertSession(c, "ended-recent", NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)));
            // Open for longer than the retention: a session is dated by its end, and an open one has none yet.
            insertSession(c, "open-long", NOW.minus(Duration.ofDays(400)), null);
            RetentionSweeper sweeper = sweeper(db);
            sweeper.register("shopper_session", "ended_at", () -> Duration.ofDays(30));

            long deleted = sweeper.sweep(NOW);

            assertThat(deleted).isEqualTo(1);
            assertThat(sessionIds(st)).isEqualTo("ended-recent,open-long");
            assertThat(metrics.counter("floorgate.store.retention.deleted", "table", "shopper_session").count())
                    .isEqualTo(1);
        }
    }

    @Test
    void sweep_whenTheConfiguredRetentionChanges_thenTheNextSweepAppliesTheNewValue() throws Exception {
        try (Database db = Database.open(dataDir); Connection c = db.connect(); Statement st = c.createStatement()) {
            insertSession(c, "ended-40-days-ago", NOW.minus(Duration.ofDays(41)), NOW.minus(Duration.ofDays(40)));
            AtomicReference<Duration> retention = new AtomicReference<>(Duration.ofDays(90));
            RetentionSweeper sweeper = sweeper(db);
            sweeper.register("shopper_session", "ended_at", retention::get);

            assertThat(sweeper.sweep(NOW)).isZero();
            retention.set(Duration.ofDays(30));
            assertThat(sweeper.sweep(NOW)).isEqualTo(1);
            assertThat(sessionIds(st)).isEmpty();
        }
    }

    @Test
    void start_whenRegisteredTablesHoldExpiredRows_thenTheyAreSweptAtOnceAndCountedPerTable() throws Exception {
        try (Database db = Database.open(dataDir); Connection c = db.connect(); Statement st = c.createStatement()) {
            Instant now = Instant.now();
            insertSession(c, "ended-old", now.minus(Duration.ofDays(41)), now.minus(Duration.ofDays(40)));
            insertSession(c, "open", now.minus(Duration.ofDays(41)), null);
            RetentionSweeper sweeper = sweeper(db);
            sweeper.register("shopper_session", "ended_at", () -> Duration.ofDays(30));
            sweeper.register("zone_visit", "entered_at", () -> Duration.ofDays(30));

            vertx.runOnContext(v -> sweeper.start());
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> metrics.counter(
                        "floorgate.store.retention.deleted", "table", "shopper_session").count() == 1);
                assertThat(sessionIds(st)).isEqualTo("open");
                assertThat(metrics.counter("floorgate.store.retention.deleted", "table", "zone_visit").count())
                        .isZero();
            } finally {
                vertx.runOnContext(v -> sweeper.stop());
            }
        }
    }

    @Test
    void sweep_whenEventsOutliveRetention_thenOnlyTheOldOnesAreDeleted() throws Exception {
        Instant now = NOW;
        try (Database db = Database.open(dataDir)) {
            GroupCommitter committer = new GroupCommitter(db, 20_000, 1000, Duration.ofMillis(1), false,
                    new SimpleMeterRegistry());
            for (int i = 0; i < 12_000; i++) {
                long receivedAt = now.minus(Duration.ofDays(i < 11_000 ? 40 : 1)).toEpochMilli();
                committer.offer(new EventRow("nfc-1", 1, i + 1, "nfc_tap", receivedAt, receivedAt, new byte[] {1}),
                        null, null);
            }
            CompletableFuture<Void> drained = committer.drain();
            drained.get();
            committer.close();

            RetentionSweeper sweeper = sweeper(db);
            sweeper.register("device_event", "received_at", () -> Duration.ofDays(30));
            long deleted = sweeper.sweep(now);

            assertThat(deleted).isEqualTo(11_000);
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM device_event")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1_000);
            }
        }
    }

    @Test
    void sweep_whenZoneVisitsOutliveRetention_thenOnlyTheOldOnesAreDeleted() throws Exception {
        Instant now = NOW;
        try (Database db = Database.open(dataDir)) {
            GroupCommitter committer = new GroupCommitter(db, 1_000, 1000, Duration.ofMillis(1), false,
                    new SimpleMeterRegistry());
            long old = now.minus(Duration.ofDays(40)).toEpochMilli();
            long recent = now.minus(Duration.ofDays(1)).toEpochMilli();
            committer.offer(new ZoneVisitOpened("anna", "pickup", old), null, null);
            committer.offer(new ZoneVisitClosed("anna", old, old + 60_000), null, null);
            committer.offer(new ZoneVisitOpened("anna", "entrance", recent), null, null);
            committer.drain().get();
            committer.close();

            RetentionSweeper sweeper = sweeper(db);
            sweeper.register("zone_visit", "entered_at", () -> Duration.ofDays(30));
            long deleted = sweeper.sweep(now);

            assertThat(deleted).isEqualTo(1);
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT zone_id FROM zone_visit")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("entrance");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void sweep_whenOrdersOutliveRetention_thenOnlyTheOldOrdersAndStepsAreDeleted() throws Exception {
        Instant now = NOW;
        try (Database db = Database.open(dataDir); Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String[] order : new String[][] {{"old", "2026-08-01T10:00:00Z"}, {"recent", "2026-11-21T10:00:00Z"}}) {
                st.execute("INSERT INTO pickup_order (order_id, customer_hash, pickup_point_id, code, state, ready_at)"
                        + " VALUES ('" + order[0] + "', NULL, 'counter-1', 'code-" + order[0] + "', 'READY', TIMESTAMP"
                        + " WITH TIME ZONE '" + order[1] + "')");
                st.execute("INSERT INTO pickup_step (order_id, step, at, source) VALUES ('" + order[0] + "', 'READY',"
                        + " TIMESTAMP WITH TIME ZONE '" + order[1] + "', 'system')");
            }

            RetentionSweeper sweeper = sweeper(db);
            sweeper.register("pickup_order", "ready_at", () -> Duration.ofDays(90));
            sweeper.register("pickup_step", "at", () -> Duration.ofDays(90));
            long deleted = sweeper.sweep(now);

            assertThat(deleted).isEqualTo(2);
            try (ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM pickup_order WHERE order_id = 'recent'),"
                    + " (SELECT COUNT(*) FROM pickup_order), (SELECT COUNT(*) FROM pickup_step)")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getLong(2)).isEqualTo(1);
                assertThat(rs.getLong(3)).isEqualTo(1);
            }
        }
    }

    @Test
    void sweep_whenTouchesOutliveRetention_thenOnlyTheOldOnesAreDeleted() throws Exception {
        Instant now = NOW;
        try (Database db = Database.open(dataDir)) {
            GroupCommitter committer = new GroupCommitter(db, 1_000, 1000, Duration.ofMillis(1), false,
                    new SimpleMeterRegistry());
            long old = now.minus(Duration.ofDays(40)).toEpochMilli();
            long recent = now.minus(Duration.ofDays(1)).toEpochMilli();
            committer.offer(new SessionTouchRow(new Touch("anna", "nfc-1", "floor", true, TouchKind.NFC_TAP, 1, 1, old)),
                    null, null);
            committer.offer(new SessionTouchRow(new Touch("anna", "nfc-1", "floor", true, TouchKind.NFC_TAP, 1, 2,
                    recent)), null, null);
            committer.drain().get();
            committer.close();

            RetentionSweeper sweeper = sweeper(db);
            sweeper.register("session_touch", "at", () -> Duration.ofDays(30));
            long deleted = sweeper.sweep(now);

            assertThat(deleted).isEqualTo(1);
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT seq FROM session_touch")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
                assertThat(rs.next()).isFalse();
            }
        }
    }
}
