package io.floorgate.gateway.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.floorgate.config.Ingest;
import io.floorgate.config.StoragePolicy;
import io.floorgate.gateway.Component;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's storage as one component: the H2 database (opened by {@link DatabaseStartup}, never silently empty in
 * place of a damaged one), the group committer that writes to it (refusing writes below the free-space floor) and
 * its periodic backups. Started first and stopped last, so every stage can write until it has stopped.
 *
 * <p>{@link #database()}, {@link #committer()} and {@link #health()} are there once {@link #start} has completed.
 */
public final class Storage implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);

    private final Vertx vertx;
    private final Path dataDir;
    private final Optional<DatabaseKey> key;
    private final Ingest ingest;
    private final Supplier<StoragePolicy> policy;
    private final boolean fsyncOnCommit;
    private final MeterRegistry metrics;
    private final List<SchemaStep> schemaSteps;
    private Database database;
    private GroupCommitter committer;
    private PeriodicBackup backups;

    /**
     * @param key         the database's key at rest; empty: in clear
     * @param policy      the configuration's {@code storage:} section; its free-space floor follows reloads, the
     *                    rest is read at start
     * @param schemaSteps the Java parts of migrations (see {@link SchemaStep})
     */
    public Storage(Vertx vertx, Path dataDir, Optional<DatabaseKey> key, Ingest ingest, Supplier<StoragePolicy> policy,
                   boolean fsyncOnCommit, MeterRegistry metrics, List<SchemaStep> schemaSteps) {
        this.schemaSteps = schemaSteps;
        this.vertx = vertx;
        this.dataDir = dataDir;
        this.key = key;
        this.ingest = ingest;
        this.policy = policy;
        this.fsyncOnCommit = fsyncOnCommit;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public Future<Void> start() {
        BackupDirectory directory = new BackupDirectory(dataDir);
        StoragePolicy atStart = policy.get();
        return vertx.executeBlocking(() -> {
            database = new DatabaseStartup(directory, atStart.onDamaged(),
                    () -> Database.open(dataDir, key, schemaSteps)).open();
            FreeSpace disk = FreeSpace.of(dataDir);
            committer = new GroupCommitter(database, ingest.queueCapacity(), ingest.commitMaxBatch(),
                    ingest.commitInterval(), fsyncOnCommit, disk, () -> policy.get().minFreeSpaceBytes(), metrics);
            backups = new PeriodicBackup(vertx, database, directory, atStart, disk, System::currentTimeMillis,
                    metrics);
            return null;
        }).compose(v -> backups.start().recover(e -> closeAll().transform(closed -> Future.failedFuture(e))));
    }

    /** Commits whatever is still queued, then closes the committer and the database. */
    @Override
    public Future<Void> stop() {
        return backups.stop().compose(v -> closeAll());
    }

    private Future<Void> closeAll() {
        return vertx.executeBlocking(() -> {
            committer.close();
            database.close();
            return null;
        });
    }

    /**
     * Completes once everything queued so far is committed or refused and its listeners have been handed back (a
     * graceful stop drains before closing listeners). A stop while the database is unavailable goes on: what was
     * queued has been refused to its publishers, and that is all a stop waits for.
     */
    public Future<Void> drain() {
        return vertx.executeBlocking(() -> committer.drain().get()).recover(e -> {
            LOG.warn("Stopping while storage cannot commit: what was queued was refused ({})", e.getMessage());
            return Future.succeededFuture();
        });
    }

    public Database database() {
        return database;
    }

    public GroupCommitter committer() {
        return committer;
    }

    /** The periodic backups: the newest one, or one taken now. */
    public PeriodicBackup backups() {
        return backups;
    }

    /** Whether storage can commit now, as the readiness check reads it. */
    public StorageHealth health() {
        return committer;
    }
}
