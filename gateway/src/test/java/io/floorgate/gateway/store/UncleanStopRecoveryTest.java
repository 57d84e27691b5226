package io.floorgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.h2.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After a kill -9 the database file holds every commit that returned; the next open must start from the newest. The
 * file as a killed process leaves it is what a copy made while the database is open holds: H2 wrote each commit
 * before {@code commit()} returned, and never wrote a clean header.
 */
class UncleanStopRecoveryTest {

    /** Enough commits into reused space for H2's quick recovery to miss the newest a dozen times (without the scan). */
    private static final int COMMITS = 120;
    private static final int ROWS_KEPT = 5;
    private static final int MAX_PAD = 3000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void open_afterAKillAtAnyCommit_thenStartsFromThatCommit(boolean encrypted) throws Exception {
        Optional<DatabaseKey> key = encrypted ? Optional.of(testKey()) : Optional.empty();
        Path live = dir.resolve("live");
        List<Integer> missedByQuickRecovery = new ArrayList<>();
        List<Integer> missedByGateway = new ArrayList<>();
        try (Database db = Database.open(live, key); Connection c = db.connect(); Statement st = c.createStatement()) {
            // Freed space is reused at once, as it is after H2's 45 s retention in a gateway that runs for a while.
            st.execute("SET RETENTION_TIME 0");
            st.execute("CREATE TABLE probe (id INT PRIMARY KEY, pad VARCHAR(" + MAX_PAD + "))");
            Random random = new Random(7);
            for (int id = 1; id <= COMMITS; id++) {
                commitProbe(c, id, random);

                Path crashed = killedCopy(live, "crashed-" + id);
                if (!encrypted && !hasRowWithH2Alone(crashed, id)) {
                    missedByQuickRecovery.add(id);
                }
                try (Database reopened = Database.open(crashed, key)) {
                    if (!hasRow(reopened, id)) {
                        missedByGateway.add(id);
                    }
                }
                deleteTree(crashed);
            }
        }
        assertThat(missedByGateway).as("commits lost at a kill right after them").isEmpty();
        if (!encrypted) {
            // The premise: without the recovery scan H2 starts from an older commit at some of these kills.
            assertThat(missedByQuickRecovery).as("kills after which H2's own open misses the newest commit")
                    .isNotEmpty();
        }
    }

    @Test
    void connect_afterH2ClosedTheDatabaseByItself_thenReopensItAtTheNewestCommit() throws Exception {
        List<Integer> missed = new ArrayList<>();
        try (Database db = Database.open(dir.resolve("live"))) {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("SET RETENTION_TIME 0");
                st.execute("CREATE TABLE probe (id INT PRIMARY KEY, pad VARCHAR(" + MAX_PAD + "))");
            }
            Random random = new Random(7);
            for (int id = 1; id <= COMMITS; id++) {
                try (Connection c = db.connect()) {
                    commitProbe(c, id, random);
                }
                // What H2 does when a write fails (a full disk): it closes the database at once, no clean header.
                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN IMMEDIATELY");
                }
                try (Connection c = db.connect()) {
                    if (!hasRow(c, id)) {
                        missed.add(id);
                    }
                }
            }
        }
        assertThat(missed).as("commits lost when H2 closed the database right after them").isEmpty();
    }

    @Test
    void open_afterACleanStop_thenTrustsTheHeaderAndMarksTheFileOpen() throws Exception {
        Path live = dir.resolve("live");
        Database.open(live).close();
        assertThat(live.resolve(UncleanStopRecovery.CLEAN_STOP_MARKER)).exists();

        assertThat(UncleanStopRecovery.beforeOpen(live, Optional.empty())).as("scanned after a clean stop").isFalse();
        assertThat(live.resolve(UncleanStopRecovery.CLEAN_STOP_MARKER)).doesNotExist();
        assertThat(UncleanStopRecovery.beforeOpen(live, Optional.empty()))
                .as("scanned when the last open did not end in a clean stop").isTrue();
    }

    @Test
    void open_afterAKillWithAnotherKey_thenRefusesTheKeyAndDoesNotCallTheFileDamaged() throws Exception {
        Path live = dir.resolve("live");
        try (Database db = Database.open(live, Optional.of(testKey()))) {
            Path crashed = killedCopy(live, "crashed");
            DatabaseKey other = DatabaseKey.of("another-test-key-of-at-least-thirty-two-characters", "the other");

            assertThatThrownBy(() -> Database.open(crashed, Optional.of(other))).isInstanceOf(KeyRefused.class)
                    .hasMessageContaining("encrypted with another key");
            try (Database reopened = Database.open(crashed, Optional.of(testKey()))) {
                assertThat(reopened.createdAtThisStart()).isFalse();
            }
        }
    }

    /** One commit of a new row, one of deleting an older one: space freed for the next chunks to reuse. */
    private static void commitProbe(Connection c, int id, Random random) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO probe VALUES (?, ?)");
                PreparedStatement delete = c.prepareStatement("DELETE FROM probe WHERE id = ?")) {
            insert.setInt(1, id);
            insert.setString(2, "x".repeat(random.nextInt(MAX_PAD)));
            insert.executeUpdate();
            delete.setInt(1, id - ROWS_KEPT);
            delete.executeUpdate();
        }
    }

    private static DatabaseKey testKey() throws KeyRefused {
        return DatabaseKey.of("a-test-key-of-at-least-thirty-two-characters", "the test");
    }

    /** The data directory as a kill -9 would leave it: the file's bytes now, no clean-stop marker. */
    private Path killedCopy(Path live, String name) throws Exception {
        Path crashed = Files.createDirectories(dir.resolve(name));
        Files.copy(Database.file(live), Database.file(crashed));
        return crashed;
    }

    private static boolean hasRowWithH2Alone(Path crashed, int id) throws Exception {
        Path copy = Files.createDirectories(crashed.resolveSibling(crashed.getFileName() + "-h2"));
        Files.copy(Database.file(crashed), Database.file(copy));
        String url = "jdbc:h2:file:" + copy.toAbsolutePath().resolve(Database.NAME) + ";IFEXISTS=TRUE";
        try (Connection c = DriverManager.getConnection(url, "floorgate", "")) {
            return hasRow(c, id);
        } finally {
            deleteTree(copy);
        }
    }

    private static boolean hasRow(Database db, int id) throws SQLException {
        try (Connection c = db.connect()) {
            return hasRow(c, id);
        }
    }

    /** False too when the table itself is missing: the commit that made it was lost as well. */
    private static boolean hasRow(Connection c, int id) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM probe WHERE id = " + id)) {
            rs.next();
            return rs.getInt(1) == 1;
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.TABLE_OR_VIEW_NOT_FOUND_1) {
                return false;
            }
            throw e;
        }
    }

    private static void deleteTree(Path directory) throws Exception {
        try (var files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
