package io.floorgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group committer against a disk whose free space the test sets: the floor, a full disk, and the way back. */
class FreeSpaceFloorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long MB = 1024 * 1024;

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AtomicLong free = new AtomicLong(500 * MB);
    private final AtomicLong floor = new AtomicLong(64 * MB);
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private Database db;
    private GroupCommitter committer;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dataDir);
        FreeSpace disk = new FreeSpace() {
            @Override
            public long usableBytes() {
                return free.get();
            }

            @Override
            public String disk() {
                return "the test's disk";
            }
        };
        committer = new GroupCommitter(db, 100, 10, Duration.ofMillis(1), false, disk, floor::get, metrics);
    }

    @AfterEach
    void close() throws Exception {
        committer.close();
        db.close();
    }

    @Test
    void offer_whenFreeSpaceFallsBelowTheFloor_thenEveryWriteIsRefusedUntilSpaceFreesAndThenCommitsAgain()
            throws Exception {
        commit(1);
        free.set(63 * MB);

        await().atMost(WAIT).until(() -> committer.unavailableReason().isPresent());
        assertThat(committer.unavailableReason()).hasValue(
                "disk full: the test's disk has 63.0 MB free, below storage.minFreeSpace (64.0 MB)");
        assertThat(metrics.get("floorgate.store.available").gauge().value()).isZero();
        assertThat(metrics.get("floorgate.store.disk.free").gauge().value()).isEqualTo(63.0 * MB);
        assertThat(committer.offer(EventRows.event(2), null, recording("e2"))).isTrue();
        assertThat(committer.offer(EventRows.event(3), null, recording("e3"))).isTrue();
        await().atMost(WAIT).until(() -> outcomes.containsAll(List.of("e2 failed", "e3 failed")));
        assertThat(metrics.counter("floorgate.store.disk.refusals").count()).isEqualTo(2);

        free.set(64 * MB);
        await().atMost(WAIT).until(() -> committer.unavailableReason().isEmpty());
        commit(2);
        assertThat(rows()).isEqualTo(2);
        assertThat(outcomes).containsExactly("e1 committed", "e2 failed", "e3 failed", "e2 committed");
    }

    @Test
    void offer_whenTheFloorIsLoweredByAReload_thenWritesResumeWithoutAnySpaceFreed() throws Exception {
        floor.set(600 * MB);
        await().atMost(WAIT).until(() -> committer.unavailableReason().isPresent());
        assertThat(metrics.get("floorgate.store.disk.floor").gauge().value()).isEqualTo(600.0 * MB);

        floor.set(64 * MB);

        await().atMost(WAIT).until(() -> committer.unavailableReason().isEmpty());
        commit(1);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void offer_whenACommitFindsTheDiskFull_thenItsBatchIsRefusedAndWritesResumeOnlyOnceThereIsHeadroom()
            throws Exception {
        floor.set(0);
        free.set(0);
        DiskFullOnce full = new DiskFullOnce(EventRows.event(1));
        committer.offer(full, null, recording("e1"));

        await().atMost(WAIT).until(() -> outcomes.contains("e1 failed"));
        assertThat(committer.unavailableReason()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("disk full: the test's disk refused a write (").contains("No space left on device"));
        // Tried once, not three times and then alone: a full disk is not a passing failure.
        assertThat(full.binds).hasValue(1);
        assertThat(metrics.counter("floorgate.store.disk.refusals").count()).isEqualTo(1);

        free.set(GroupCommitter.RESUME_HEADROOM_BYTES - 1);
        committer.offer(EventRows.event(2), null, recording("e2"));
        await().atMost(WAIT).until(() -> outcomes.contains("e2 failed"));
        assertThat(committer.unavailableReason()).isPresent();

        free.set(GroupCommitter.RESUME_HEADROOM_BYTES);
        await().atMost(WAIT).until(() -> committer.unavailableReason().isEmpty());
        committer.offer(full, null, recording("e1 again"));
        committer.drain().get(10, TimeUnit.SECONDS);
        assertThat(outcomes).endsWith("e1 again committed");
        assertThat(rows()).isEqualTo(1);
    }

    private void commit(long seq) throws Exception {
        committer.offer(EventRows.event(seq), null, recording("e" + seq));
        committer.drain().get(10, TimeUnit.SECONDS);
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

    private long rows() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM device_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A write whose first bind fails as H2 fails a write to a full disk: an I/O error with ENOSPC's message. */
    private static final class DiskFullOnce implements StoreWrite {
        private final StoreWrite write;
        private final AtomicInteger binds = new AtomicInteger();

        DiskFullOnce(StoreWrite write) {
            this.write = write;
        }

        @Override
        public String sql() {
            return write.sql();
        }

        @Override
        public void bind(PreparedStatement statement) throws SQLException {
            if (binds.incrementAndGet() == 1) {
                throw new SQLException("IO Exception: \"/data/floorgate.mv.db\" [90028-252]", "90028", 90028,
                        new IOException("No space left on device"));
            }
            write.bind(statement);
        }
    }

    /** Device events for the tests: one per seq, from one NFC reader. */
    private static final class EventRows {
        static EventRow event(long seq) {
            return new EventRow("nfc-1", 7, seq, "nfc_tap", 1_000, 2_000, new byte[] {(byte) seq});
        }
    }
}
