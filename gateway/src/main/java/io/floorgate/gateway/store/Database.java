package io.floorgate.gateway.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's embedded H2 database, file-backed in the data directory.
 *
 * <p>Durability: the URL sets {@code WRITE_DELAY=0}, so every commit is written to the database
 * file before {@code commit()} returns. A kill -9 of the gateway then loses nothing committed: the
 * bytes are in the operating system's page cache, which outlives the process. What it does not
 * promise by itself is survival of a power cut, because H2 does not fsync on commit. With
 * {@code fsyncOnCommit} the group committer also runs {@code CHECKPOINT SYNC} after every batch,
 * which forces the file to the device; that costs one fsync per batch, not per event.
 *
 * <p>Lives on worker threads only: every method blocks.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** Versioned schema scripts, applied in order, each once; never edit one that has shipped. */
    private static final List<String> MIGRATIONS = List.of("V1__device_events_and_state.sql", "V2__sessions.sql",
            "V3__zone_visits.sql", "V4__orders.sql", "V5__session_touches.sql", "V6__upstream_outbox.sql");

    private final String jdbcUrl;
    /** Held open for the gateway's lifetime so H2 never closes the database between connections. */
    private final Connection anchor;
    /** True when this start found no schema at all: a new database, or a file H2 read as an empty one. */
    private boolean createdAtThisStart;

    private Database(String jdbcUrl, Connection anchor) {
        this.jdbcUrl = jdbcUrl;
        this.anchor = anchor;
    }

    public static Database open(Path dataDir) throws SQLException, IOException {
        Files.createDirectories(dataDir);
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("floorgate")
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        Connection anchor = DriverManager.getConnection(url, "floorgate", "");
        // Only the anchor may create the database: a connection made later, to a database lost under the gateway
        // (its file gone), must fail rather than quietly open an empty one in its place.
        Database db = new Database(url + ";IFEXISTS=TRUE", anchor);
        db.migrate();
        return db;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "floorgate", "");
    }

    private void migrate() throws SQLException, IOException {
        try (Statement st = anchor.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = 'SCHEMA_VERSION'")) {
                rs.next();
                createdAtThisStart = rs.getInt(1) == 0;
            }
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL,"
                    + " applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
            int current;
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                current = rs.getInt(1);
            }
            for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
                String script = MIGRATIONS.get(version - 1);
                anchor.setAutoCommit(false);
                try {
                    for (String sql : statementsOf(script)) {
                        st.execute(sql);
                    }
                    st.execute("INSERT INTO schema_version (version, script) VALUES (" + version + ", '" + script + "')");
                    anchor.commit();
                } catch (SQLException e) {
                    anchor.rollback();
                    throw e;
                } finally {
                    anchor.setAutoCommit(true);
                }
                LOG.info("Database migrated to version {} ({})", version, script);
            }
        }
    }

    private static List<String> statementsOf(String script) throws IOException {
        try (InputStream in = Database.class.getResourceAsStream("/db/" + script)) {
            if (in == null) {
                throw new IOException("migration script missing from the jar: " + script);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder withoutComments = new StringBuilder();
            for (String line : text.split("\n")) {
                if (!line.strip().startsWith("--")) {
                    withoutComments.append(line).append('\n');
                }
            }
            return java.util.Arrays.stream(withoutComments.toString().split(";"))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }

    /**
     * Whether this start found the database without any schema. {@link DatabaseStartup} tells a new database from a
     * damaged one by whether its file was there before.
     */
    public boolean createdAtThisStart() {
        return createdAtThisStart;
    }

    /** At start nobody is connected yet, whatever the last run left in the table. */
    public void markAllDevicesOffline() throws SQLException {
        try (Statement st = anchor.createStatement()) {
            st.executeUpdate("UPDATE device_state SET online = FALSE WHERE online");
        }
    }

    @Override
    public void close() throws SQLException {
        if (anchor.isClosed()) {
            // The database was shut down under the gateway (and perhaps reopened by a reconnect): there is nothing to
            // anchor, and H2 closes a reopened database with its last connection.
            return;
        }
        try (Statement st = anchor.createStatement()) {
            st.execute("SHUTDOWN");
        } finally {
            anchor.close();
        }
    }
}
