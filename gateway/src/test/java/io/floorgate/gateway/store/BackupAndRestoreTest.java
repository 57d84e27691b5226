package io.floorgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import io.floorgate.gateway.testing.RunningGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Periodic online backups, their rotation, and {@code restore-backup}. */
class BackupAndRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void backups_whenIntervalsPass_thenCompleteBackupsAreTakenRotatedAndMeasured() throws Exception {
        try (RunningGateway gateway = StoredGateway.start("{ backupInterval: 1s, backupsKept: 2 }", dataDir)) {
            StoredGateway.publish(gateway, 1, 3);

            await().atMost(WAIT).until(() -> gateway.metric("floorgate_store_backups_total") >= 3);

            List<Path> files = backupFiles();
            assertThat(files).as("the newest two kept, no part left").hasSize(2)
                    .allSatisfy(f -> assertThat(f.getFileName().toString()).matches("floorgate-\\d{8}T\\d{9}Z\\.zip"));
            for (Path file : files) {
                try (ZipFile zip = new ZipFile(file.toFile())) {
                    assertThat(zip.getEntry(BackupDirectory.DATABASE_FILE)).isNotNull();
                }
            }
            assertThat(gateway.metric("floorgate_store_backup_failures_total")).isZero();
            assertThat(gateway.metric("floorgate_store_backup_size_bytes")).isPositive();
            assertThat(gateway.metric("floorgate_store_backup_age_seconds")).isBetween(0.0, 60.0);
        }
    }

    @Test
    void backups_whenTheDiskWouldBeLeftBelowTheFloor_thenTheBackupIsSkippedAndCounted() throws Exception {
        FreeSpace nearlyFull = new FreeSpace() {
            @Override
            public long usableBytes() {
                return 1024;
            }

            @Override
            public String disk() {
                return "a nearly full disk";
            }
        };
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        Vertx vertx = Vertx.vertx();
        try (Database database = Database.open(dataDir)) {
            PeriodicBackup backups = new PeriodicBackup(vertx, database, new BackupDirectory(dataDir),
                    StoredGateway.config("{ backupInterval: 7d, backupsKept: 2 }").storage(), nearlyFull,
                    System::currentTimeMillis, metrics);
            RunningGateway.await(backups.start());

            assertThat(backups.backUp().toCompletionStage().toCompletableFuture()).failsWithin(WAIT)
                    .withThrowableThat().withMessageContaining("skipped: a copy of the")
                    .withMessageContaining("a nearly full disk, below storage.minFreeSpace");

            assertThat(metrics.counter("floorgate.store.backup.failures").count()).isEqualTo(1);
            assertThat(backups.latest()).isEmpty();
            assertThat(new BackupDirectory(dataDir).backups()).isEmpty();
            RunningGateway.await(backups.stop());
        } finally {
            RunningGateway.await(vertx.close());
        }
    }

    @Test
    void restoreBackup_whenAGatewayHasTheDatabaseOpen_thenRefusesAndChangesNothing() throws Exception {
        StoredGateway.withBackupThenMore(dataDir);
        try (RunningGateway gateway = StoredGateway.start("{ backupInterval: 7d, backupsKept: 5 }", dataDir)) {
            int exit = restore("--data-dir", dataDir.toString());

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("is open in a running gateway")
                    .contains("stop it first");
            assertThat(gateway.count(StoredGateway.EVENTS)).isEqualTo(5);
        }
        assertThat(dataDir.resolve(BackupDirectory.SET_ASIDE)).doesNotExist();
    }

    @Test
    void restoreBackup_whenTheGatewayIsStopped_thenTheLatestBackupReplacesTheDatabaseAndTheOldFileIsKept()
            throws Exception {
        StoredGateway.withBackupThenMore(dataDir);

        int exit = restore("--data-dir", dataDir.toString());

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Restored " + dataDir.toAbsolutePath()
                .resolve(BackupDirectory.DATABASE_FILE)).contains("The previous database file is kept as ");
        try (Stream<Path> aside = Files.list(dataDir.resolve(BackupDirectory.SET_ASIDE))) {
            assertThat(aside).hasSize(1);
        }
        try (RunningGateway gateway = StoredGateway.start("{ backupInterval: 7d, backupsKept: 5 }", dataDir)) {
            assertThat(gateway.count(StoredGateway.EVENTS)).as("the events in the backup").isEqualTo(3);
        }
    }

    @Test
    void restoreBackup_whenANamedBackupIsDamaged_thenNothingIsRestoredAndTheDatabaseIsAsItWas() throws Exception {
        StoredGateway.withBackupThenMore(dataDir);
        Path backup = backupFiles().get(0);
        byte[] bytes = Files.readAllBytes(backup);
        // Inside the compressed database file: the zip still lists it, its bytes no longer match its CRC.
        for (int i = bytes.length / 3; i < bytes.length / 3 + 64; i++) {
            bytes[i] ^= 0x5a;
        }
        Files.write(backup, bytes);

        int exit = restore("--data-dir", dataDir.toString(), "--backup", backup.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Nothing was restored").contains("is damaged");
        try (RunningGateway gateway = StoredGateway.start("{ backupInterval: 7d, backupsKept: 5 }", dataDir)) {
            assertThat(gateway.count(StoredGateway.EVENTS)).isEqualTo(5);
        }
    }

    @Test
    void restoreBackup_whenThereIsNoBackup_thenRefusesAndSaysWhere() throws Exception {
        assertThat(restore("--data-dir", dataDir.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("There is no backup in "
                + dataDir.toAbsolutePath().resolve("backups"));
    }

    private int restore(String... args) {
        return new CommandLine(new RestoreBackupCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
    }

    private List<Path> backupFiles() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("backups"))) {
            return files.sorted().toList();
        }
    }
}
