package io.floorgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.floorgate.config.StoragePolicy;
import io.floorgate.gateway.testing.RunningGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start on a damaged database file, or on none beside backups: never silently on an empty database. With
 * {@code onDamaged: refuse} the gateway stops and names the command to recover; with {@code restore-latest-backup} it
 * sets the damaged file aside and starts from the newest backup that opens.
 */
class DamagedDatabaseTest {

    private static final String REFUSE = "{ onDamaged: refuse, backupInterval: 7d, backupsKept: 5 }";
    private static final String RESTORE = "{ onDamaged: restore-latest-backup, backupInterval: 7d, backupsKept: 5 }";
    /** Past both copies of H2's store header, short of the file's end. */
    private static final int CUT_TO_BYTES = 20_000;
    private static final int HEADER_BYTES = 8192;

    @TempDir
    Path dataDir;

    @Test
    void start_whenTheFileHeaderIsCorruptAndThePolicyIsRefuse_thenDoesNotStartAndSaysHowToRecover() throws Exception {
        StoredGateway.withBackupThenMore(dataDir);
        overwrite(databaseFile(), 0, HEADER_BYTES);
        byte[] damaged = Files.readAllBytes(databaseFile());

        Throwable failure = StoredGateway.failedStart(REFUSE, dataDir);

        assertThat(StoredGateway.damage(failure)).hasValueSatisfying(e -> assertThat(e.getMessage())
                .startsWith("The database file " + databaseFile() + " is damaged (File corrupted")
                .contains("The gateway does not start on it.")
                .contains("restore-backup --data-dir " + dataDir.toAbsolutePath())
                .contains("storage.onDamaged: restore-latest-backup"));
        assertThat(Files.readAllBytes(databaseFile())).as("the damaged file, untouched").isEqualTo(damaged);
    }

    @Test
    void start_whenTheFileIsCutShortAndThePolicyIsRefuse_thenDoesNotStartOnWhatH2WouldReadAsAnEmptyDatabase()
            throws Exception {
        StoredGateway.withBackupThenMore(dataDir);
        cut(databaseFile(), CUT_TO_BYTES);

        Throwable failure = StoredGateway.failedStart(REFUSE, dataDir);

        assertThat(StoredGateway.damage(failure)).hasValueSatisfying(e -> assertThat(e.getMessage())
                .startsWith("The database file " + databaseFile() + " is damaged (")
                .contains("restore-backup --data-dir"));
    }

    @Test
    void start_whenTheFileIsEmpty_thenDoesNotStartThoughH2WouldOpenItAsANewDatabase() throws Exception {
        StoredGateway.withBackupThenMore(dataDir);
        cut(databaseFile(), 0);

        Throwable failure = StoredGateway.failedStart(REFUSE, dataDir);

        assertThat(StoredGateway.damage(failure)).hasValueSatisfying(e -> assertThat(e.getMessage())
                .contains("is damaged (it opens as an empty database"));
    }

    @Test
    void start_whenTheFileIsCutShortAndThePolicyIsRestore_thenStartsFromTheLatestBackupAndKeepsTheDamagedFile()
            throws Exception {
        StoredGateway.withBackupThenMore(dataDir);
        cut(databaseFile(), CUT_TO_BYTES);

        try (RunningGateway gateway = StoredGateway.start(RESTORE, dataDir)) {
            assertThat(gateway.count(StoredGateway.EVENTS)).as("the events in the backup, not an empty database")
                    .isEqualTo(3);
            StoredGateway.publish(gateway, 6, 6);
            assertThat(gateway.count(StoredGateway.EVENTS)).isEqualTo(4);
        }
        // Set aside, not deleted; H2 may have written to it while it tried to open it.
        assertThat(setAside()).singleElement().satisfies(f -> assertThat(f.getFileName().toString())
                .matches("floorgate-\\d{8}T\\d{9}Z\\.mv\\.db"));
    }

    @Test
    void start_whenTheFileHeaderIsCorruptAndThePolicyIsRestore_thenStartsFromTheLatestBackup() throws Exception {
        StoredGateway.withBackupThenMore(dataDir);
        overwrite(databaseFile(), 0, HEADER_BYTES);

        try (RunningGateway gateway = StoredGateway.start(RESTORE, dataDir)) {
            assertThat(gateway.count(StoredGateway.EVENTS)).isEqualTo(3);
        }
        assertThat(setAside()).hasSize(1);
    }

    @Test
    void start_whenTheFileIsMissingButBackupsShowAnEarlierRun_thenRefusesOrRestoresAsConfigured() throws Exception {
        StoredGateway.withBackupThenMore(dataDir);
        Files.delete(databaseFile());

        Throwable failure = StoredGateway.failedStart(REFUSE, dataDir);

        assertThat(StoredGateway.damage(failure)).hasValueSatisfying(e -> assertThat(e.getMessage())
                .contains("is missing, but " + dataDir.toAbsolutePath().resolve("backups") + " holds 1 backup(s)")
                .contains("restore-backup --data-dir"));
        assertThat(databaseFile()).as("no empty database made in its place").doesNotExist();
        try (RunningGateway gateway = StoredGateway.start(RESTORE, dataDir)) {
            assertThat(gateway.count(StoredGateway.EVENTS)).isEqualTo(3);
        }
    }

    @Test
    void start_whenEveryBackupIsDamagedToo_thenDoesNotStartEvenWithTheRestorePolicy() throws Exception {
        StoredGateway.withBackupThenMore(dataDir);
        overwrite(databaseFile(), 0, HEADER_BYTES);
        Path backup;
        try (Stream<Path> files = Files.list(dataDir.resolve("backups"))) {
            backup = files.findFirst().orElseThrow();
        }
        overwrite(backup, (int) Files.size(backup) / 3, 64);

        Throwable failure = StoredGateway.failedStart(RESTORE, dataDir);

        assertThat(StoredGateway.damage(failure)).hasValueSatisfying(e -> assertThat(e.getMessage())
                .contains("and no backup opens (tried: " + backup.getFileName() + ")")
                .contains("does not start on an empty database"));
        assertThat(databaseFile()).doesNotExist();
        assertThat(setAside()).hasSize(1);
    }

    @Test
    void start_whenPagesInTheMiddleAreCorrupt_thenTheStartCheckReadingEveryRowFindsThem() throws Exception {
        // Enough rows that the file is mostly table pages, so that bytes in its middle are in one of them.
        Database database = Database.open(dataDir);
        try (Connection c = database.connect(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO device_event (device_id, boot_id, seq, kind, observed_at, received_at, payload)"
                        + " VALUES ('nfc-1', 1, ?, 'nfc_tap', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?)")) {
            c.setAutoCommit(false);
            byte[] payload = new byte[64];
            for (int seq = 1; seq <= 20_000; seq++) {
                insert.setInt(1, seq);
                insert.setBytes(2, payload);
                insert.addBatch();
                if (seq % 1000 == 0) {
                    insert.executeBatch();
                    c.commit();
                }
            }
        }
        // Compacted, so that the file's middle is live pages, not chunks freed by the inserts (which no read touches).
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        }
        database.close();
        overwrite(databaseFile(), (int) Files.size(databaseFile()) / 2, HEADER_BYTES);

        DatabaseStartup startup = new DatabaseStartup(new BackupDirectory(dataDir), StoragePolicy.OnDamaged.REFUSE,
                () -> Database.open(dataDir));

        try {
            startup.open().close();
            throw new AssertionError("opened a database with corrupt pages");
        } catch (DamagedDatabaseException e) {
            assertThat(e.getMessage()).contains("is damaged").contains("There is no backup in");
        }
    }

    private Path databaseFile() {
        return dataDir.resolve(BackupDirectory.DATABASE_FILE);
    }

    private List<Path> setAside() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("set-aside"))) {
            return files.toList();
        }
    }

    private static void overwrite(Path file, int at, int length) throws IOException {
        byte[] junk = new byte[length];
        new Random(length).nextBytes(junk);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            f.write(junk);
        }
    }

    private static void cut(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }
}
