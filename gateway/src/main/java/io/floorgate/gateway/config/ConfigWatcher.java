package io.floorgate.gateway.config;

import java.nio.file.Path;
import java.util.function.Consumer;

import io.floorgate.config.ConfigException;
import io.floorgate.config.ConfigProblem;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the store configuration when its file changes. A file that does not load is refused
 * with every problem logged, and the configuration in force stays in force.
 *
 * <p>Polls the file's modification time and size once a second (non-blocking file system calls);
 * parses on a worker thread. Polling rather than a WatchService because editors replace files by
 * rename, which a directory watch on some file systems reports late or not at all.
 */
public final class ConfigWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    private static final long POLL_MS = 1000;

    private final Vertx vertx;
    private final Path file;
    private final Consumer<StoreConfig> apply;
    private final Counter applied;
    private final Counter refused;
    private long lastModified;
    private long lastSize;
    private long timer = -1;

    public ConfigWatcher(Vertx vertx, Path file, Consumer<StoreConfig> apply, MeterRegistry metrics) {
        this.vertx = vertx;
        this.file = file;
        this.apply = apply;
        this.applied = Counter.builder("floorgate.config.reloads").tag("result", "applied")
                .description("Configuration reloads").register(metrics);
        this.refused = Counter.builder("floorgate.config.reloads").tag("result", "refused")
                .description("Configuration reloads").register(metrics);
    }

    public void start() {
        vertx.fileSystem().props(file.toString()).onSuccess(props -> {
            remember(props);
            timer = vertx.setPeriodic(POLL_MS, id -> poll());
        }).onFailure(e -> LOG.warn("Not watching {} for changes: {}", file, e.toString()));
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void poll() {
        vertx.fileSystem().props(file.toString()).onSuccess(props -> {
            if (props.lastModifiedTime() == lastModified && props.size() == lastSize) {
                return;
            }
            remember(props);
            vertx.executeBlocking(() -> StoreConfigLoader.load(file), false).onComplete(result -> {
                if (result.succeeded()) {
                    apply.accept(result.result());
                    applied.increment();
                    LOG.info("Configuration {} reloaded", file);
                } else if (result.cause() instanceof ConfigException e) {
                    refused.increment();
                    StringBuilder problems = new StringBuilder();
                    for (ConfigProblem p : e.problems()) {
                        problems.append("\n  ").append(p);
                    }
                    LOG.warn("Configuration {} changed but was refused; the previous one stays in force:{}", file,
                            problems);
                } else {
                    refused.increment();
                    LOG.warn("Configuration {} changed but could not be read; the previous one stays in force: {}",
                            file, result.cause().toString());
                }
            });
        });
    }

    private void remember(FileProps props) {
        lastModified = props.lastModifiedTime();
        lastSize = props.size();
    }
}
