package io.floorgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private Database db;
    private GroupCommitter committer;
    private final List<String> outcomes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dataDir);
        committer = new GroupCommitter(db, 100, 10, Duration.ofMillis(1), false, metrics);
    }

    @AfterEach
    void close() throws Exception {
        committer.close();
        db.close();
    }

    private CommitListener recording(String name) {
        return new CommitListener() {
            @Override
            public void committed() {
                outcomes.add(name + " committed");
            }

            @Override
            public void failed(Exception cause) {
                outcomes.add(name + " failed");
            }
        };
    }

    private static EventRow event(long seq) {
        return new EventRow("nfc-1", 7, seq, "nfc_tap", 1_000, 2_000, new byte[] {(byte) seq});
    }

    private long rows() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM device_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void offer_whenBatchRepeatsAStoredKey_thenWholeBatchIsCommittedAndTheKeyStoredOnce() throws Exception {
        committer.offer(event(1), null, recording("first"));
        committer.drain().get(10, TimeUnit.SECONDS);

        // A replay the in-memory window could not recognize, in a batch with a new event.
        committer.offer(event(1), null, recording("replay"));
        committer.offer(event(2), null, recording("second"));
        committer.drain().get(10, TimeUnit.SECONDS);

        assertThat(outcomes).containsExactly("first committed", "replay committed", "second committed");
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void offer_whenOneWriteInABatchBreaksAConstraint_thenOnlyThatWriteFailsAndTheOthersAreStored() throws Exception {
        committer.offer(event(1), null, recording("good-1"));
        // kind is NOT NULL: a poison row in the middle of the batch.
        committer.offer(new EventRow("nfc-1", 7, 2, null, 1_000, 2_000, new byte[] {2}), null, recording("poison"));
        committer.offer(event(3), null, recording("good-3"));
        committer.drain().get(10, TimeUnit.SECONDS);

        assertThat(outcomes).containsExactly("good-1 committed", "poison failed", "good-3 committed");
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void offer_whenAZoneEntryIsDecidedTwiceAtOneInstant_thenTheLaterDecisionReplacesTheEarlierRow() throws Exception {
        committer.offer(new ZoneVisitOpened("s-1", "aisle-1", 5_000), null, recording("first"));
        committer.drain().get(10, TimeUnit.SECONDS);
        committer.offer(new ZoneVisitOpened("s-1", "aisle-2", 5_000), null, recording("again"));
        committer.drain().get(10, TimeUnit.SECONDS);

        assertThat(outcomes).containsExactly("first committed", "again committed");
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT zone_id FROM zone_visit WHERE session_id = 's-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("aisle-2");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void barrier_whenQueuedAfterWrites_thenCompletesOnlyOnceTheyAreCommitted() throws Exception {
        for (long seq = 1; seq <= 25; seq++) {
            committer.offer(event(seq), null, recording("e" + seq));
        }
        committer.barrier(null, recording("barrier"));
        CompletableFuture<Void> drained = committer.drain();
        drained.get(10, TimeUnit.SECONDS);

        assertThat(outcomes).hasSize(26).endsWith("barrier committed");
        assertThat(rows()).isEqualTo(25);
    }

    /** A write with a defect of its own: its bind throws what it should not. */
    private record Unbindable(Throwable defect) implements StoreWrite {
        @Override
        public String sql() {
            return event(0).sql();
        }

        @Override
        public void bind(PreparedStatement statement) {
            if (defect instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) defect;
        }
    }

    /** A write that counts its binds, the first {@code passingFailures} of which fail for a reason other than its data. */
    private static final class Counted implements StoreWrite {
        private final StoreWrite write;
        private final int passingFailures;
        private final AtomicInteger binds = new AtomicInteger();

        Counted(StoreWrite write, int passingFailures) {
            this.write = write;
            this.passingFailures = passingFailures;
        }

        @Override
        public String sql() {
            return write.sql();
        }

        @Override
        public String sqlOnKeyCollision() {
            return write.sqlOnKeyCollision();
        }

        @Override
        public void bind(PreparedStatement statement) throws SQLException {
            if (binds.incrementAndGet() <= passingFailures) {
                throw new SQLException("the disk is briefly full", "HY000");
            }
            write.bind(statement);
        }
    }

    @Test
    void offer_whenACommitFailsOnceForAPassingReason_thenTheBatchIsTriedAgainAndEveryWriteCommits() throws Exception {
        Counted flaky = new Counted(event(2), 1);
        committer.offer(event(1), null, recording("e1"));
        committer.offer(flaky, null, recording("flaky"));
        committer.offer(event(3), null, recording("e3"));
        committer.drain().get(10, TimeUnit.SECONDS);

        assertThat(outcomes).containsExactly("e1 committed", "flaky committed", "e3 committed");
        assertThat(flaky.binds).hasValue(2);
        assertThat(rows()).isEqualTo(3);
        assertThat(metrics.counter("floorgate.ingest.commit.failures").count()).isZero();
    }

    @Test
    void offer_whenAWriteKeepsFailingForANonConstraintReason_thenItFailsAloneAfterEveryAttempt() throws Exception {
        Counted failing = new Counted(event(2), Integer.MAX_VALUE);
        committer.offer(event(1), null, recording("e1"));
        committer.offer(failing, null, recording("failing"));
        committer.offer(event(3), null, recording("e3"));
        committer.drain().get(10, TimeUnit.SECONDS);

        assertThat(outcomes).containsExactlyInAnyOrder("e1 committed", "failing failed", "e3 committed");
        // Three attempts with its batch, then one alone.
        assertThat(failing.binds).hasValue(4);
        assertThat(rows()).isEqualTo(2);
        assertThat(metrics.counter("floorgate.ingest.commit.failures").count()).isEqualTo(1);
    }

    @Test
    void offer_whenAWriteBreaksAConstraint_thenItIsNotTriedAgainWithItsBatchButOnceAlone() throws Exception {
        // kind is NOT NULL: the data itself is wrong, so no retry could help.
        Counted poison = new Counted(new EventRow("nfc-1", 7, 2, null, 1_000, 2_000, new byte[] {2}), 0);
        committer.offer(poison, null, recording("poison"));
        committer.drain().get(10, TimeUnit.SECONDS);

        assertThat(outcomes).containsExactly("poison failed");
        assertThat(poison.binds).hasValue(2);
        assertThat(metrics.counter("floorgate.ingest.commit.failures").count()).isEqualTo(1);
    }

    @Test
    void drain_whenWritesAndBarriersAreCommitted_thenBatchSizesCountTheWritesOnlyAndEachCommitIsTimed() throws Exception {
        for (long seq = 1; seq <= 3; seq++) {
            committer.offer(event(seq), null, recording("e" + seq));
        }
        committer.barrier(null, recording("barrier"));
        committer.drain().get(10, TimeUnit.SECONDS);
        long batches = metrics.summary("floorgate.ingest.commit.batch.size").count();
        // A batch of barriers only (this drain, alone in the queue) writes nothing and is no batch.
        committer.drain().get(10, TimeUnit.SECONDS);

        // However the writes fell into batches, the sizes add up to the writes.
        assertThat(metrics.summary("floorgate.ingest.commit.batch.size").totalAmount()).isEqualTo(3);
        assertThat(batches).isBetween(1L, 3L);
        assertThat(metrics.summary("floorgate.ingest.commit.batch.size").count()).isEqualTo(batches);
        assertThat(metrics.timer("floorgate.ingest.commit.latency").count()).isGreaterThanOrEqualTo(
                metrics.summary("floorgate.ingest.commit.batch.size").count());
    }

    @Test
    void offer_whenAWritesBindThrows_thenOnlyThatWriteFailsAndTheRestOfTheBatchAndLaterWritesCommit() throws Exception {
        committer.offer(event(1), null, recording("good-1"));
        committer.offer(new Unbindable(new IllegalStateException("a bug in bind")), null, recording("runtime"));
        committer.offer(event(2), null, recording("good-2"));
        committer.offer(new Unbindable(new AssertionError("another bug in bind")), null, recording("error"));
        committer.offer(event(3), null, recording("good-3"));
        committer.drain().get(10, TimeUnit.SECONDS);

        assertThat(outcomes).containsExactlyInAnyOrder("good-1 committed", "runtime failed", "good-2 committed",
                "error failed", "good-3 committed");
        assertThat(rows()).isEqualTo(3);
        assertThat(metrics.counter("floorgate.ingest.commit.failures").count()).isEqualTo(2);

        committer.offer(event(4), null, recording("later"));
        committer.drain().get(10, TimeUnit.SECONDS);
        assertThat(outcomes).endsWith("later committed");
        assertThat(rows()).isEqualTo(4);
    }

    @Test
    void offer_whenTheDatabaseIsLostUnderTheCommitter_thenWritesFailAtOnceAndTheReasonIsReportedUntilItIsBack()
            throws Exception {
        committer.offer(event(1), null, recording("before"));
        committer.drain().get(10, TimeUnit.SECONDS);
        Path file = dataDir.resolve("floorgate.mv.db");
        Path away = dataDir.resolve("elsewhere.mv.db");

        // The file goes first, so the committer's reconnect cannot reopen it; then the database is shut down.
        Files.move(file, away);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
        }

        await().atMost(WAIT).until(() -> committer.unavailableReason().isPresent());
        assertThat(committer.unavailableReason()).hasValueSatisfying(
                reason -> assertThat(reason).startsWith("database unavailable: ").contains("not found"));
        assertThat(metrics.get("floorgate.store.available").gauge().value()).isZero();
        assertThat(committer.offer(event(2), null, recording("while-lost"))).isTrue();
        await().atMost(WAIT).until(() -> outcomes.contains("while-lost failed"));
        assertThatThrownBy(() -> committer.drain().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        Files.move(away, file);
        await().atMost(WAIT).until(() -> committer.unavailableReason().isEmpty());
        assertThat(metrics.get("floorgate.store.available").gauge().value()).isEqualTo(1);
        committer.offer(event(3), null, recording("after"));
        committer.drain().get(10, TimeUnit.SECONDS);
        assertThat(outcomes).containsExactly("before committed", "while-lost failed", "after committed");
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void offerTogether_whenAllWritesAreGood_thenAllAreStoredAndTheListenerIsToldOnce() throws Exception {
        committer.offer(List.of(event(1), event(2), event(3)), null, recording("together"));
        committer.drain().get(10, TimeUnit.SECONDS);

        assertThat(outcomes).containsExactly("together committed");
        assertThat(rows()).isEqualTo(3);
    }

    @Test
    void offerTogether_whenOneWriteBreaksAConstraint_thenNoneOfThemIsStoredAndTheOthersInTheBatchAre()
            throws Exception {
        committer.offer(event(1), null, recording("before"));
        committer.offer(List.of(event(2), new EventRow("nfc-1", 7, 3, null, 1_000, 2_000, new byte[] {3}), event(4)),
                null, recording("together"));
        committer.offer(event(5), null, recording("after"));
        committer.drain().get(10, TimeUnit.SECONDS);

        assertThat(outcomes).containsExactly("before committed", "together failed", "after committed");
        assertThat(seqs()).containsExactly(1L, 5L);
    }

    @Test
    void offerTogether_whenMoreWritesThanABatchHolds_thenTheyAreNotSplitAcrossTransactions() throws Exception {
        // maxBatch is 10: split into batches, the first ten would commit before the bad last one fails.
        List<StoreWrite> writes = new ArrayList<>();
        for (long seq = 1; seq <= 24; seq++) {
            writes.add(event(seq));
        }
        writes.add(new EventRow("nfc-1", 7, 25, null, 1_000, 2_000, new byte[] {25}));
        committer.offer(writes, null, recording("too many with a bad one"));
        committer.offer(writes.subList(0, 24), null, recording("too many"));
        committer.drain().get(10, TimeUnit.SECONDS);

        assertThat(outcomes).containsExactly("too many with a bad one failed", "too many committed");
        assertThat(rows()).isEqualTo(24);
    }

    @Test
    void offerTogether_whenTheQueueIsFull_thenNoneIsQueued() throws Exception {
        GroupCommitter tiny = new GroupCommitter(db, 1, 1, Duration.ofSeconds(1), false, new SimpleMeterRegistry());
        try {
            boolean refused = false;
            for (long seq = 1; seq <= 100 && !refused; seq += 2) {
                refused = !tiny.offer(List.of(event(seq), event(seq + 1)), null, null);
            }
            tiny.drain().get(10, TimeUnit.SECONDS);
            assertThat(refused).isTrue();
            assertThat(rows() % 2).as("only whole pairs are stored").isZero();
        } finally {
            tiny.close();
        }
    }

    private List<Long> seqs() throws Exception {
        List<Long> seqs = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq FROM device_event ORDER BY seq")) {
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
        }
        return seqs;
    }

    @Test
    void offer_whenQueueIsFull_thenRefusesInsteadOfBlocking() {
        GroupCommitter tiny = new GroupCommitter(db, 1, 1, Duration.ofSeconds(1), false, new SimpleMeterRegistry());
        try {
            int accepted = 0;
            for (long seq = 1; seq <= 50; seq++) {
                if (tiny.offer(event(seq), null, null)) {
                    accepted++;
                }
            }
            assertThat(accepted).isLessThan(50);
        } finally {
            try {
                tiny.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
