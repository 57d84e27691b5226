package io.floorgate.gateway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.floorgate.config.StoragePolicy;
import io.floorgate.gateway.Component;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs the database up while the gateway runs: every {@code storage.backupInterval}, an online {@code BACKUP TO}
 * into {@code <data-dir>/backups/}, written under a {@code .part} name and renamed once complete, then the backups
 * beyond {@code storage.backupsKept} are deleted, oldest first.
 *
 * <p>Threads: a timer on the event loop only starts a backup; the backup runs on a worker pool of its own with one
 * thread, so two never overlap and the shared workers are never held for the length of a copy. H2 copies the file
 * without stopping writers: the group committer goes on committing meanwhile.
 *
 * <p>Space: a backup is skipped (counted as failed, logged) when the disk would be left with less than
 * {@code storage.minFreeSpace} after it, so that a backup never pushes the committer into refusing writes.
 */
public final class PeriodicBackup implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicBackup.class);
    private static final String WORKER_POOL = "floorgate-backup";
    /** A copy of a large database takes a while: Vert.x should not call it a blocked thread before this. */
    private static final Duration MAX_BACKUP_TIME = Duration.ofMinutes(30);

    private final Vertx vertx;
    private final Database database;
    private final BackupDirectory directory;
    private final StoragePolicy policy;
    private final FreeSpace freeSpace;
    private final LongSupplier clock;
    private final Counter failures;
    private final Counter taken;
    /** The newest complete backup, taken by this run or found at start; null when there is none. */
    private volatile BackupDirectory.Backup latest;
    private WorkerExecutor worker;
    private long timer = -1;

    public PeriodicBackup(Vertx vertx, Database database, BackupDirectory directory, StoragePolicy policy,
                          FreeSpace freeSpace, LongSupplier clock, MeterRegistry metrics) {
        this.vertx = vertx;
        this.database = database;
        this.directory = directory;
        this.policy = policy;
        this.freeSpace = freeSpace;
        this.clock = clock;
        this.failures = Counter.builder("floorgate.store.backup.failures")
                .description("Backups that failed or were skipped for want of space").register(metrics);
        this.taken = Counter.builder("floorgate.store.backups")
                .description("Backups taken and kept").register(metrics);
        Gauge.builder("floorgate.store.backup.age", this, b -> b.latest == null ? Double.NaN
                        : (clock.getAsLong() - b.latest.takenAt().toEpochMilli()) / 1000.0)
                .baseUnit("seconds").description("Age of the newest complete backup; NaN while there is none")
                .register(metrics);
        Gauge.builder("floorgate.store.backup.size", this, b -> b.latest == null ? Double.NaN : b.latest.sizeBytes())
                .baseUnit("bytes").description("Size of the newest complete backup").register(metrics);
    }

    @Override
    public String name() {
        return "periodic backup";
    }

    /**
     * Without backups ({@code backupsKept: 0}) does nothing. Otherwise the first backup is due one interval after
     * the newest one found, at once if that is past; with none found, one interval from now (a new database has
     * nothing worth copying yet).
     */
    @Override
    public Future<Void> start() {
        if (!policy.takesBackups()) {
            LOG.info("No periodic backups: storage.backupsKept is 0");
            return Future.succeededFuture();
        }
        worker = vertx.createSharedWorkerExecutor(WORKER_POOL, 1, MAX_BACKUP_TIME.toNanos(), TimeUnit.NANOSECONDS);
        return worker.executeBlocking(() -> {
            directory.rotate(policy.backupsKept());
            return directory.latest();
        }).map(found -> {
            latest = found.orElse(null);
            long interval = policy.backupInterval().toMillis();
            long firstIn = found.map(b -> interval - (clock.getAsLong() - b.takenAt().toEpochMilli()))
                    .orElse(interval);
            timer = vertx.setPeriodic(Math.max(1, firstIn), interval, id -> backUp());
            return null;
        });
    }

    @Override
    public Future<Void> stop() {
        if (worker == null) {
            return Future.succeededFuture();
        }
        vertx.cancelTimer(timer);
        // Closing the pool lets a backup under way finish; the next start's rotation removes a .part left behind.
        return worker.close();
    }

    /** Takes one backup now, on the backup worker; the future fails when the backup failed or was skipped. */
    public Future<BackupDirectory.Backup> backUp() {
        return worker.executeBlocking(this::takeBackup).onSuccess(b -> {
            latest = b;
            taken.increment();
        }).onFailure(e -> {
            failures.increment();
            LOG.warn("Backup failed: {}", e.getMessage());
        });
    }

    private BackupDirectory.Backup takeBackup() throws IOException, SQLException {
        long databaseBytes = Files.size(directory.databaseFile());
        long free = freeSpace.usableBytes();
        if (free - databaseBytes < policy.minFreeSpaceBytes()) {
            throw new IOException("skipped: a copy of the " + databaseBytes / 1024 + " KB database would leave "
                    + Math.max(0, free - databaseBytes) / 1024 + " KB free on " + freeSpace.disk()
                    + ", below storage.minFreeSpace");
        }
        Instant at = Instant.ofEpochMilli(clock.getAsLong());
        Path file = directory.newBackupFile(at);
        Path part = BackupDirectory.partOf(file);
        long start = System.nanoTime();
        try (Connection c = database.connect(); PreparedStatement backup = c.prepareStatement("BACKUP TO ?")) {
            backup.setString(1, part.toString());
            backup.execute();
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (SQLException | IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        List<Path> deleted = directory.rotate(policy.backupsKept());
        BackupDirectory.Backup backup = new BackupDirectory.Backup(file, at, Files.size(file));
        LOG.info("Backup written: {} ({} KB in {} ms); {} older deleted", file, backup.sizeBytes() / 1024,
                Duration.ofNanos(System.nanoTime() - start).toMillis(), deleted.size());
        return backup;
    }

    /** The newest complete backup, if any. */
    public Optional<BackupDirectory.Backup> latest() {
        return Optional.ofNullable(latest);
    }
}
