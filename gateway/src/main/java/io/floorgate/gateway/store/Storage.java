package io.floorgate.gateway.store;

import java.nio.file.Path;

import io.floorgate.config.Ingest;
import io.floorgate.gateway.Component;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The gateway's storage as one component: the H2 database and the group committer that writes to it. Started
 * first and stopped last, so every stage can write until it has stopped.
 *
 * <p>{@link #database()} and {@link #committer()} are there once {@link #start} has completed.
 */
public final class Storage implements Component {

    private final Vertx vertx;
    private final Path dataDir;
    private final Ingest ingest;
    private final boolean fsyncOnCommit;
    private final MeterRegistry metrics;
    private Database database;
    private GroupCommitter committer;

    public Storage(Vertx vertx, Path dataDir, Ingest ingest, boolean fsyncOnCommit, MeterRegistry metrics) {
        this.vertx = vertx;
        this.dataDir = dataDir;
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
            database = Database.open(dataDir);
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

    /** Completes once everything queued so far is committed (a graceful stop drains before closing listeners). */
    public Future<Void> drain() {
        return vertx.executeBlocking(() -> committer.drain().get());
    }

    public Database database() {
        return database;
    }

    public GroupCommitter committer() {
        return committer;
    }
}
