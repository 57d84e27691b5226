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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.h2.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's embedded H2 database, file-backed in the data directory.
 *
 * <p>Durability: the URL sets {@code WRITE_DELAY=0}, so every commit is written to the database
 * file before {@code commit()} returns. A kill -9 of the gateway then loses nothing committed: the
 * bytes are in the operating system's page cache, which outlives the process, and after such a stop
 * {@link UncleanStopRecovery} makes H2 find the newest of them at the next open. What it does not
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
            "V3__zone_visits.sql", "V4__orders.sql", "V5__session_touches.sql", "V6__upstream_outbox.sql",
            "V7__customer_hashes_erasures_audit.sql", "V8__sealed_advertising_keys.sql");

    static final String NAME = "floorgate";
    private static final String USER = "floorgate";
    /** What H2's encrypted file system writes first ({@code FilePathEncrypt}); a clear file starts "H:2,". */
    private static final byte[] ENCRYPTED_HEADER = "H2encrypt\n".getBytes(StandardCharsets.US_ASCII);

    private final Path dataDir;
    private final Optional<DatabaseKey> key;
    private final String jdbcUrl;
    private final String password;
    private final Sealer sealer;
    /**
     * Held open for the gateway's lifetime so H2 never closes the database between connections; replaced when H2
     * closed the database by itself. Guarded by this.
     */
    private Connection anchor;
    /** True when this start found no schema at all: a new database, or a file H2 read as an empty one. */
    private boolean createdAtThisStart;

    private Database(Path dataDir, Optional<DatabaseKey> key, String jdbcUrl, String password, Sealer sealer,
            Connection anchor) {
        this.dataDir = dataDir;
        this.key = key;
        this.jdbcUrl = jdbcUrl;
        this.password = password;
        this.sealer = sealer;
        this.anchor = anchor;
    }

    /** An unencrypted database: for tests and tools that write one. */
    public static Database open(Path dataDir) throws SQLException, IOException {
        return open(dataDir, List.of());
    }

    /** An unencrypted database, with the Java parts of migrations. */
    public static Database open(Path dataDir, List<SchemaStep> steps) throws SQLException, IOException {
        try {
            return open(dataDir, Optional.empty(), steps);
        } catch (KeyRefused e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    /** As {@link #open(Path, Optional, List)} with no Java migration steps: for tools and tests. */
    public static Database open(Path dataDir, Optional<DatabaseKey> key) throws SQLException, IOException, KeyRefused {
        return open(dataDir, key, List.of());
    }

    /**
     * Opens the database, creating it only where none exists yet: encrypted ({@code CIPHER=AES}) with the key, or in
     * clear without one. An existing database is opened with {@code IFEXISTS}, and a key that does not fit it (none
     * for an encrypted file, one for a clear file, another key) is refused by name before H2 reports the file as
     * corrupted, so that a missing or wrong key never looks like damage and never yields a fresh empty database.
     *
     * @param steps the Java parts of migrations, each around its version's script
     */
    public static Database open(Path dataDir, Optional<DatabaseKey> key, List<SchemaStep> steps)
            throws SQLException, IOException, KeyRefused {
        Files.createDirectories(dataDir);
        boolean exists = Files.exists(file(dataDir));
        if (exists) {
            requireFittingKey(dataDir, key);
        }
        UncleanStopRecovery.beforeOpen(dataDir, key);
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve(NAME) + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"
                + (key.isPresent() ? ";CIPHER=AES" : "");
        // H2 reads "file password, space, user password"; the user's is empty.
        String password = key.map(k -> new String(k.filePassword()) + " ").orElse("");
        Connection anchor;
        try {
            anchor = DriverManager.getConnection(exists ? url + ";IFEXISTS=TRUE" : url, USER, password);
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.FILE_ENCRYPTION_ERROR_1 && key.isPresent()) {
                throw otherKey(dataDir, key.get(), e);
            }
            throw e;
        }
        // Only the anchor may create the database: a connection made later, to a database lost under the gateway
        // (its file gone), must fail rather than quietly open an empty one in its place.
        Database db = new Database(dataDir, key, url + ";IFEXISTS=TRUE", password, Sealer.of(key), anchor);
        db.migrate(steps);
        return db;
    }

    static KeyRefused otherKey(Path dataDir, DatabaseKey key, Exception cause) {
        return new KeyRefused("the database key from " + key.source() + " does not open the database in " + dataDir
                + ": it is encrypted with another key. Give the key it was encrypted with (after a rotation: the new"
                + " key)", cause);
    }

    /** The H2 file of the database in {@code dataDir}. */
    public static Path file(Path dataDir) {
        return dataDir.resolve(NAME + ".mv.db");
    }

    /** Whether the file starts with the header of H2's encrypted file system ({@code CIPHER=AES}). */
    static boolean isEncrypted(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(ENCRYPTED_HEADER.length), ENCRYPTED_HEADER);
        }
    }

    private static void requireFittingKey(Path dataDir, Optional<DatabaseKey> key) throws IOException, KeyRefused {
        boolean encrypted = isEncrypted(file(dataDir));
        if (encrypted && key.isEmpty()) {
            throw new KeyRefused("the database in " + dataDir + " is encrypted and no key was given: give its key"
                    + " with --db-key-file FILE, the environment variable " + KeySource.ENV + " or the systemd"
                    + " credential " + KeySource.CREDENTIAL);
        }
        if (!encrypted && key.isPresent()) {
            throw new KeyRefused("the database in " + dataDir + " is not encrypted, and a key was given ("
                    + key.get().source() + "): encrypt it first with floorgate-gateway rotate-key --data-dir "
                    + dataDir + " --from-unencrypted --new-key-file FILE, or run it as it is with --unencrypted");
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * A new connection. When H2 has closed the database by itself (a write failed: a full disk), its file has no clean
     * header, and a new connection would reopen it with the quick recovery that can miss the newest commits; so the
     * first connection after that reopens it behind H2's recovery scan, under the lock that every connection takes.
     */
    public synchronized Connection connect() throws SQLException {
        if (!anchor.isValid(0)) {
            reopen();
        }
        return DriverManager.getConnection(jdbcUrl, USER, password);
    }

    private void reopen() throws SQLException {
        try {
            anchor.close();
        } catch (SQLException e) {
            LOG.debug("Closing the connection to the database H2 closed failed", e);
        }
        try {
            UncleanStopRecovery.scan(dataDir, key, "H2 closed the database by itself");
        } catch (IOException | KeyRefused e) {
            throw new SQLException("the database in " + dataDir + " does not reopen: " + e.getMessage(), e);
        }
        anchor = DriverManager.getConnection(jdbcUrl, USER, password);
    }

    /** Seals and unseals the columns listed in {@link SealedColumn}, under this database's key. */
    public Sealer sealer() {
        return sealer;
    }

    private void migrate(List<SchemaStep> steps) throws SQLException, IOException {
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
            for (String script : MIGRATIONS) {
                // By the number in its name ("V8__..."), not its place in the list: numbers are handed out to work
                // done side by side, and one may land before another's.
                int version = Integer.parseInt(script.substring(1, script.indexOf("__")));
                if (version <= current) {
                    continue;
                }
                anchor.setAutoCommit(false);
                try {
                    List<String> statements = statementsOf(script);
                    SchemaStep.Script run = () -> {
                        for (String sql : statements) {
                            st.execute(sql);
                        }
                    };
                    int v = version;
                    Optional<SchemaStep> step = steps.stream().filter(s -> s.version() == v).findFirst();
                    if (step.isPresent()) {
                        step.get().migrate(anchor, run);
                    } else {
                        run.run();
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
    public synchronized void markAllDevicesOffline() throws SQLException {
        try (Statement st = anchor.createStatement()) {
            st.executeUpdate("UPDATE device_state SET online = FALSE WHERE online");
        }
    }

    @Override
    public synchronized void close() throws SQLException {
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
        try {
            UncleanStopRecovery.markCleanStop(dataDir);
        } catch (IOException e) {
            // The next start scans the file as after a crash: slower, nothing lost.
            LOG.warn("Could not mark the clean stop of the database in {}: {}", dataDir, e.toString());
        }
    }
}
