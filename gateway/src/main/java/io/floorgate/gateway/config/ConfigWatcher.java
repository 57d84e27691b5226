package io.floorgate.gateway.config;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.floorgate.config.ConfigException;
import io.floorgate.config.ConfigProblem;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the store configuration when its file changes, or when asked ({@link #reloadNow}, the admin's "reload"
 * button). A file that does not load is refused with every problem logged, and the configuration in force stays in
 * force; a file that says what is in force already is not applied again.
 *
 * <p>Polls the file's modification time and size once a second (non-blocking file system calls);
 * parses on a worker thread. Polling rather than a WatchService because editors replace files by
 * rename, which a directory watch on some file systems reports late or not at all.
 *
 * <p>Threads: lives on the context it was created on; {@link #reloadNow} may be called from any thread. Reloads run
 * one after the other, never two at once.
 */
public final class ConfigWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    private static final long POLL_MS = 1000;

    private final Vertx vertx;
    private final Context context;
    private final Path file;
    private final Supplier<StoreConfig> inForce;
    private final Consumer<StoreConfig> apply;
    private final Map<ReloadResult.Outcome, Counter> reloads = new EnumMap<>(ReloadResult.Outcome.class);
    private long lastModified;
    private long lastSize;
    private long timer = -1;
    /** The reload running or last run; the next one starts after it. */
    private Future<ReloadResult> lastReload = Future.succeededFuture();

    /**
     * @param inForce the configuration in force, to tell an unchanged file
     * @param apply   puts a changed, valid configuration in force; called on this watcher's context
     */
    public ConfigWatcher(Vertx vertx, Path file, Supplier<StoreConfig> inForce, Consumer<StoreConfig> apply,
                         MeterRegistry metrics) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.file = file;
        this.inForce = inForce;
        this.apply = apply;
        for (ReloadResult.Outcome outcome : ReloadResult.Outcome.values()) {
            reloads.put(outcome, Counter.builder("floorgate.config.reloads").tag("result", outcome.label())
                    .description("Configuration reloads").register(metrics));
        }
    }

    public void start() {
        context.runOnContext(v -> vertx.fileSystem().props(file.toString()).onSuccess(props -> {
            remember(props);
            timer = vertx.setPeriodic(POLL_MS, id -> poll());
        }).onFailure(e -> LOG.warn("Not watching {} for changes: {}", file, e.toString())));
    }

    public void stop() {
        context.runOnContext(v -> {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        });
    }

    /** Reads the file now, whether it changed or not, and answers what came of it; on the caller's context. */
    public Future<ReloadResult> reloadNow() {
        Context caller = Vertx.currentContext();
        Promise<ReloadResult> done = Promise.promise();
        context.runOnContext(v -> reload().onComplete(done));
        if (caller == null || caller.equals(context)) {
            return done.future();
        }
        Promise<ReloadResult> answer = Promise.promise();
        done.future().onComplete(result -> caller.runOnContext(v -> answer.handle(result)));
        return answer.future();
    }

    private void poll() {
        vertx.fileSystem().props(file.toString()).onSuccess(props -> {
            if (props.lastModifiedTime() == lastModified && props.size() == lastSize) {
                return;
            }
            remember(props);
            reload();
        });
    }

    /** On this watcher's context: queues a reload behind the one running, if any. */
    private Future<ReloadResult> reload() {
        lastReload = lastReload.transform(previous -> vertx.executeBlocking(() -> StoreConfigLoader.load(file), false)
                .transform(loaded -> Future.succeededFuture(decide(loaded.succeeded() ? loaded.result() : null,
                        loaded.cause()))));
        return lastReload;
    }

    private ReloadResult decide(StoreConfig loaded, Throwable failure) {
        ReloadResult result;
        if (loaded != null && loaded.equals(inForce.get())) {
            result = ReloadResult.unchanged();
            LOG.info("Configuration {} read again; it is the one in force", file);
        } else if (loaded != null) {
            apply.accept(loaded);
            result = ReloadResult.applied();
            LOG.info("Configuration {} reloaded", file);
        } else if (failure instanceof ConfigException e) {
            List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
            result = ReloadResult.refused(problems);
            LOG.warn("Configuration {} was refused; the previous one stays in force:\n  {}", file,
                    String.join("\n  ", problems));
        } else {
            result = ReloadResult.refused(List.of(file + ": could not be read: " + failure));
            LOG.warn("Configuration {} could not be read; the previous one stays in force: {}", file,
                    failure.toString());
        }
        reloads.get(result.outcome()).increment();
        return result;
    }

    private void remember(FileProps props) {
        lastModified = props.lastModifiedTime();
        lastSize = props.size();
    }
}
