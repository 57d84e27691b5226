package io.floorgate.gateway.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.floorgate.config.Ingest;
import io.floorgate.gateway.Component;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's storage as one component: the H2 database and the group committer that writes to it. Started
 * first and stopped last, so every stage can write until it has stopped.
 *
 * <p>{@link #database()}, {@link #committer()} and {@link #health()} are there once {@link #start} has completed.
 */
public final class Storage implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);

    private final Vertx vertx;
    private final Path dataDir;
    private final Optional<DatabaseKey> key;
    private final Ingest ingest;
    private final boolean fsyncOnCommit;
    private final MeterRegistry metrics;
    private final List<SchemaStep> schemaSteps;
    private Database database;
    private GroupCommitter committer;

    /**
     * @param key         the database's key at rest; empty: in clear
     * @param schemaSteps the Java parts of migrations (see {@link SchemaStep})
     */
    public Storage(Vertx vertx, Path dataDir, Optional<DatabaseKey> key, Ingest ingest, boolean fsyncOnCommit,
                   MeterRegistry metrics, List<SchemaStep> schemaSteps) {
        this.schemaSteps = schemaSteps;
        this.vertx = vertx;
        this.dataDir = dataDir;
        this.key = key;
        this.ingest = ingest;
        this.fsyncOnCommit = fsyncOnCommit;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public Future<Void> start() {
        return vertx.executeBlocking(() -> {
            database = Database.open(dataDir, key, schemaSteps);
            committer = new GroupCommitter(database, ingest.queueCapacity(), ingest.commitMaxBatch(),
                    ingest.commitInterval(), fsyncOnCommit, metrics);
            return null;
        });
    }

    /** Commits whatever is still queued, then closes the committer and the database. */
    @Override
    public Future<Void> stop() {
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

    /** Whether storage can commit now, as the readiness check reads it. */
    public StorageHealth health() {
        return committer;
    }
}
