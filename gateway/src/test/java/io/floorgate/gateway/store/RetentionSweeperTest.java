package io.floorgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.floorgate.gateway.linking.SessionTouchRow;
import io.floorgate.gateway.linking.Touch;
import io.floorgate.gateway.linking.TouchKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionSweeperTest {

    @TempDir
    Path dataDir;

    @Test
    void sweep_whenEventsOutliveRetention_thenOnlyTheOldOnesAreDeleted() throws Exception {
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
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

            long deleted = new RetentionSweeper(db, new SimpleMeterRegistry())
                    .sweepDeviceEvents(Duration.ofDays(30), now);

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
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
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

            long deleted = new RetentionSweeper(db, new SimpleMeterRegistry())
                    .sweepZoneVisits(Duration.ofDays(30), now);

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
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
        try (Database db = Database.open(dataDir); Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String[] order : new String[][] {{"old", "2026-08-01T10:00:00Z"}, {"recent", "2026-11-21T10:00:00Z"}}) {
                st.execute("INSERT INTO pickup_order (order_id, customer_ref, pickup_point_id, code, state, ready_at)"
                        + " VALUES ('" + order[0] + "', 'c', 'counter-1', 'code-" + order[0] + "', 'READY', TIMESTAMP"
                        + " WITH TIME ZONE '" + order[1] + "')");
                st.execute("INSERT INTO pickup_step (order_id, step, at, source) VALUES ('" + order[0] + "', 'READY',"
                        + " TIMESTAMP WITH TIME ZONE '" + order[1] + "', 'system')");
            }

            long deleted = new RetentionSweeper(db, new SimpleMeterRegistry()).sweepOrders(Duration.ofDays(90), now);

            assertThat(deleted).isEqualTo(1);
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
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
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

            long deleted = new RetentionSweeper(db, new SimpleMeterRegistry()).sweepTouches(Duration.ofDays(30), now);

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
