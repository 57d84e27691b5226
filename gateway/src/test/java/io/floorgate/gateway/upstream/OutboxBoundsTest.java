package io.floorgate.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.floorgate.config.Upstream;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.testing.OutboxRows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's bounds and seq against a real H2 database, without a broker. */
class OutboxBoundsTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final Duration MAX_AGE = Duration.ofHours(1);

    @TempDir
    Path dir;

    private Database database;
    private OutboxTable table;
    private final Backlog backlog = new Backlog();

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir);
        table = new OutboxTable(database.connect());
    }

    @AfterEach
    void close() throws Exception {
        table.close();
        database.close();
    }

    @Test
    void enforce_whenRowsExceedTheBound_thenTheOldestSummariesGoAndRoomIsLeftForTheNotice() throws Exception {
        List<Long> summaries = write(OutboxPriority.SUMMARY, 6, NOW);
        List<Long> events = write(OutboxPriority.EVENT, 3, NOW);

        List<BoundDrop> drops = enforce(bounds(5, Long.MAX_VALUE));

        // 9 rows, bound 5: down to 4, so that the notice makes 5.
        assertThat(drops).containsExactly(new BoundDrop("rows", 5, summaries.get(0), summaries.get(4)));
        assertThat(remaining(OutboxPriority.SUMMARY)).containsExactly(summaries.get(5));
        assertThat(remaining(OutboxPriority.EVENT)).containsExactlyElementsOf(events);
        assertThat(backlog.rows()).isEqualTo(4);
    }

    @Test
    void enforce_whenOnlyEventsAreLeft_thenTheOldestEventsGoToo() throws Exception {
        List<Long> summaries = write(OutboxPriority.SUMMARY, 2, NOW);
        List<Long> events = write(OutboxPriority.EVENT, 5, NOW);

        List<BoundDrop> drops = enforce(bounds(4, Long.MAX_VALUE));

        assertThat(drops).containsExactly(new BoundDrop("rows", 4, summaries.get(0), events.get(1)));
        assertThat(remaining(OutboxPriority.SUMMARY)).isEmpty();
        assertThat(remaining(OutboxPriority.EVENT)).containsExactlyElementsOf(events.subList(2, 5));
    }

    @Test
    void enforce_whenBytesExceedTheBound_thenSummariesGoUntilTheBytesFitWithTheNotice() throws Exception {
        write(OutboxPriority.SUMMARY, 10, NOW);
        long perRow = backlogAfterCount().bytes() / 10;
        long maxBytes = 64 + 5 * perRow;

        List<BoundDrop> drops = enforce(bounds(Long.MAX_VALUE, maxBytes));

        assertThat(drops).singleElement().satisfies(d -> {
            assertThat(d.bound()).isEqualTo("bytes");
            assertThat(d.dropped()).isEqualTo(5);
        });
        assertThat(backlog.bytes()).isLessThanOrEqualTo(maxBytes - 64);
        assertThat(backlog.rows()).isEqualTo(5);
    }

    @Test
    void enforce_whenSummariesAreOlderThanTheBound_thenOnlyThoseGoAndOldEventsStayWhileASummaryRemains()
            throws Exception {
        List<Long> oldSummaries = write(OutboxPriority.SUMMARY, 3, NOW - MAX_AGE.toMillis() - 1);
        List<Long> oldEvents = write(OutboxPriority.EVENT, 2, NOW - MAX_AGE.toMillis() - 1);
        List<Long> fresh = write(OutboxPriority.SUMMARY, 2, NOW);

        List<BoundDrop> drops = enforce(bounds(Long.MAX_VALUE, Long.MAX_VALUE));

        assertThat(drops).containsExactly(new BoundDrop("age", 3, oldSummaries.get(0), oldSummaries.get(2)));
        assertThat(remaining(OutboxPriority.EVENT)).containsExactlyElementsOf(oldEvents);
        assertThat(remaining(OutboxPriority.SUMMARY)).containsExactlyElementsOf(fresh);
    }

    @Test
    void enforce_whenWithinEveryBound_thenNothingIsDropped() throws Exception {
        write(OutboxPriority.SUMMARY, 3, NOW);

        assertThat(enforce(bounds(3, Long.MAX_VALUE))).isEmpty();
        assertThat(backlog.rows()).isEqualTo(3);
    }

    @Test
    void moveSeqPastRestore_whenTheDatabaseIsAnOlderBackup_thenNoSeqIsHandedOutTwice() throws Exception {
        long first = table.moveSeqPastRestore(NOW);
        List<Long> sent = write(OutboxPriority.SUMMARY, 3, NOW);
        assertThat(sent.get(0)).isEqualTo(first).isEqualTo(NOW * OutboxTable.SEQS_PER_MS);
        // A backup taken before those rows: the identity is back where it was, the rows are gone.
        try (var c = database.connect(); var st = c.createStatement()) {
            st.execute("DELETE FROM upstream_outbox");
            st.execute("ALTER TABLE upstream_outbox ALTER COLUMN seq RESTART WITH " + first);
        }

        long next = table.moveSeqPastRestore(NOW + 1);

        assertThat(next).isGreaterThan(sent.get(2));
        assertThat(write(OutboxPriority.EVENT, 1, NOW).get(0)).isEqualTo(next);
    }

    @Test
    void moveSeqPastRestore_whenTheClockIsBehindTheSeq_thenTheSeqStillGrows() throws Exception {
        table.moveSeqPastRestore(NOW);
        List<Long> sent = write(OutboxPriority.SUMMARY, 2, NOW);

        assertThat(table.moveSeqPastRestore(NOW - 60_000)).isEqualTo(sent.get(1) + 1);
    }

    private OutboxBounds bounds(long maxRows, long maxBytes) {
        return new OutboxBounds(new Upstream(Optional.empty(), "c", Duration.ofSeconds(60), maxRows, MAX_AGE,
                "sixteen-chars-key", maxBytes, Upstream.Link.DEFAULT));
    }

    private List<BoundDrop> enforce(OutboxBounds bounds) throws Exception {
        backlogAfterCount();
        return bounds.enforce(table, backlog, NOW);
    }

    private Backlog backlogAfterCount() throws Exception {
        backlog.recount(table);
        return backlog;
    }

    private List<Long> write(OutboxPriority priority, int count, long atMs) {
        List<OutboxEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(priority == OutboxPriority.EVENT ? OutboxRows.event(atMs) : OutboxRows.summary(atMs));
        }
        return OutboxRows.write(database.jdbcUrl(), entries);
    }

    private List<Long> remaining(OutboxPriority priority) throws Exception {
        return table.oldest(priority, 0, Long.MAX_VALUE, 1000).stream().map(OutboxTable.RowSize::seq).toList();
    }
}
