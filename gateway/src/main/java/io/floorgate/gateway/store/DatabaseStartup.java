package io.floorgate.gateway.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.floorgate.config.StoragePolicy;
import org.h2.api.ErrorCode;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the database at start, never silently on an empty one in place of a damaged or lost one: the gateway stops
 * with a message that names the file and the command to recover, or (with {@code storage.onDamaged:
 * restore-latest-backup}) sets the damaged file aside and starts from the newest backup that opens, saying so.
 *
 * <p>Damaged means: H2 cannot open it (a corrupt header, a file cut short), or it opens as an empty database though
 * the file was there (H2 reads a file cut at the right place as a new database), or reading every row of every table
 * hits a corrupt page. Missing means: no database file, but {@code backups/} holds backups of an earlier run. A data
 * directory without either starts a new, empty database, as on a store's first start.
 *
 * <p>Other failures to open (the file locked by another process, no permission) are not damage: a backup would not
 * help, and they are passed on as they are.
 */
public final class DatabaseStartup {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseStartup.class);
    /** The command line that recovers, as the operator types it (the jar's name in the docs). */
    private static final String RESTORE_COMMAND = "java -jar floorgate-gateway.jar restore-backup --data-dir ";

    /**
     * How the gateway opens its database: {@link Database#open} with whatever it needs. A key that does not fit is
     * {@link KeyRefused}, never damage: it goes up as it is, before any file is set aside.
     */
    @FunctionalInterface
    public interface Opener {
        Database open() throws SQLException, IOException, KeyRefused;
    }

    private final BackupDirectory directory;
    private final StoragePolicy.OnDamaged onDamaged;
    private final Opener opener;

    public DatabaseStartup(BackupDirectory directory, StoragePolicy.OnDamaged onDamaged, Opener opener) {
        this.directory = directory;
        this.onDamaged = onDamaged;
        this.opener = opener;
    }

    /** Opens the database, or a restored backup of it, or throws {@link DamagedDatabaseException}. */
    public Database open() throws DamagedDatabaseException, SQLException, IOException, KeyRefused {
        List<BackupDirectory.Backup> backups = directory.backups();
        String problem;
        Exception cause = null;
        if (!Files.exists(directory.databaseFile()) && !backups.isEmpty()) {
            problem = "The database file " + directory.databaseFile() + " is missing, but " + directory.backupsDir()
                    + " holds " + backups.size() + " backup(s) of an earlier run; starting on an empty database would"
                    + " lose them in silence";
        } else {
            try {
                return openChecked();
            } catch (SQLException | IOException e) {
                if (!isDamage(e)) {
                    throw e;
                }
                problem = "The database file " + directory.databaseFile() + " is damaged (" + firstLine(e) + ")";
                cause = e;
            }
        }
        if (onDamaged == StoragePolicy.OnDamaged.RESTORE_LATEST_BACKUP) {
            return restoreLatest(problem, backups, cause);
        }
        throw new DamagedDatabaseException(problem + ". The gateway does not start on it. "
                + recoveryAdvice(backups), cause);
    }

    private String recoveryAdvice(List<BackupDirectory.Backup> backups) {
        if (backups.isEmpty()) {
            return "There is no backup in " + directory.backupsDir() + ". Move the file away to keep it for"
                    + " recovery (H2's org.h2.tools.Recover can read what is left in it), then start again on a new,"
                    + " empty database.";
        }
        BackupDirectory.Backup latest = backups.get(0);
        return "To start from the latest backup (" + latest.file().getFileName() + ", taken " + latest.takenAt()
                + "; what was written after it is lost), run: " + RESTORE_COMMAND
                + directory.dataDir() + " ; or set storage.onDamaged: restore-latest-backup to do it at start.";
    }

    /** Sets the damaged file aside and starts from the newest backup that opens, older ones next. */
    private Database restoreLatest(String problem, List<BackupDirectory.Backup> backups, Exception cause)
            throws DamagedDatabaseException, IOException, KeyRefused {
        LOG.error("{}; restoring the latest backup (storage.onDamaged: restore-latest-backup)", problem);
        List<String> tried = new ArrayList<>();
        for (BackupDirectory.Backup backup : backups) {
            Optional<Path> aside = directory.setAsideDatabase(Instant.now());
            aside.ifPresent(path -> LOG.warn("Set aside {} as {}", directory.databaseFile(), path));
            try {
                directory.restore(backup);
                Database database = openChecked();
                LOG.warn("Started from backup {} taken {}: everything written after it is lost", backup.file(),
                        backup.takenAt());
                return database;
            } catch (SQLException | IOException e) {
                if (!isDamage(e) && !(e instanceof IOException)) {
                    throw new IOException("restoring " + backup.file() + " failed: " + e.getMessage(), e);
                }
                LOG.error("Backup {} does not open either ({}); trying the next older one", backup.file(),
                        firstLine(e));
                tried.add(backup.file().getFileName().toString());
            }
        }
        throw new DamagedDatabaseException(problem + ", and no backup opens (tried: "
                + (tried.isEmpty() ? "none, there is none" : String.join(", ", tried)) + "). The gateway does not"
                + " start on an empty database in its place; the damaged files are in "
                + directory.dataDir().resolve(BackupDirectory.SET_ASIDE), cause);
    }

    /** Opens the database and reads every row of every table, so that a corrupt page is found now, not mid-shift. */
    private Database openChecked() throws SQLException, IOException, KeyRefused {
        boolean existed = Files.exists(directory.databaseFile());
        Database database = opener.open();
        try {
            if (existed && database.createdAtThisStart()) {
                throw new SQLException("it opens as an empty database; H2 reads a file cut short this way",
                        String.valueOf(ErrorCode.FILE_CORRUPTED_1), ErrorCode.FILE_CORRUPTED_1);
            }
            readEveryRow(database);
            return database;
        } catch (SQLException e) {
            closeQuietly(database);
            throw e;
        }
    }

    /** An index other than a primary key, and its columns as a select list in index order. */
    private record IndexColumns(String table, String name, String columns) {
    }

    private static List<IndexColumns> secondaryIndexes(Statement st) throws SQLException {
        List<IndexColumns> indexes = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT i.TABLE_NAME, i.INDEX_NAME, LISTAGG('\"' || c.COLUMN_NAME || '\"', ', ')"
                + " WITHIN GROUP (ORDER BY c.ORDINAL_POSITION) FROM INFORMATION_SCHEMA.INDEXES i"
                + " JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c ON c.INDEX_SCHEMA = i.INDEX_SCHEMA"
                + " AND c.INDEX_NAME = i.INDEX_NAME AND c.TABLE_NAME = i.TABLE_NAME"
                + " WHERE i.TABLE_SCHEMA = 'PUBLIC' AND i.INDEX_TYPE_NAME <> 'PRIMARY KEY'"
                + " GROUP BY i.TABLE_NAME, i.INDEX_NAME")) {
            while (rs.next()) {
                indexes.add(new IndexColumns(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return indexes;
    }

    private static void readEveryRow(Database database) throws SQLException {
        long start = System.nanoTime();
        long rows = 0;
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    while (rs.next()) {
                        rows++;
                    }
                }
            }
            // A table scan reads the primary index only; each other index is walked in its own order, so that a
            // corrupt page of one is found now too, not by the first query that uses it.
            for (IndexColumns index : secondaryIndexes(st)) {
                try (ResultSet rs = st.executeQuery("SELECT " + index.columns() + " FROM \"" + index.table()
                        + "\" USE INDEX (\"" + index.name() + "\") ORDER BY " + index.columns())) {
                    while (rs.next()) {
                        rows++;
                    }
                }
            }
        }
        LOG.info("Database check: read {} rows in {} ms", rows, (System.nanoTime() - start) / 1_000_000);
    }

    /** H2's own words for a file it cannot read as a database. */
    static boolean isDamage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && (sql.getErrorCode() == ErrorCode.FILE_CORRUPTED_1
                    || sql.getErrorCode() == ErrorCode.FILE_VERSION_ERROR_1)) {
                return true;
            }
            if (cause instanceof MVStoreException store && (store.getErrorCode() == DataUtils.ERROR_FILE_CORRUPT
                    || store.getErrorCode() == DataUtils.ERROR_UNSUPPORTED_FORMAT)) {
                return true;
            }
            if (cause instanceof EOFException) {
                // Shorter than its own structure says: cut short.
                return true;
            }
        }
        return false;
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void closeQuietly(Database database) {
        try {
            database.close();
        } catch (SQLException e) {
            LOG.debug("Closing the damaged database failed too", e);
        }
    }
}
