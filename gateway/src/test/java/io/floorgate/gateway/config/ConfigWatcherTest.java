package io.floorgate.gateway.config;

import static io.floorgate.gateway.testing.RunningGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin's "reload": the file read now, whether the watcher saw it change or not, and what came of it. */
class ConfigWatcherTest {

    @TempDir
    Path dir;

    private Vertx vertx;
    private Path file;
    private final AtomicReference<StoreConfig> inForce = new AtomicReference<>();
    private final List<StoreConfig> applied = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private ConfigWatcher watcher;

    @BeforeEach
    void writeStoreFile() throws Exception {
        vertx = Vertx.vertx();
        file = dir.resolve("store.yaml");
        Files.writeString(file, TestStore.yaml(10_000, 10_000, "5ms"));
        inForce.set(StoreConfigLoader.load(file));
        // not started: nothing polls, only the reloads the test asks for happen
        watcher = new ConfigWatcher(vertx, file, inForce::get, next -> {
            applied.add(next);
            inForce.set(next);
        }, metrics);
    }

    @AfterEach
    void closeVertx() {
        await(vertx.close());
    }

    private double reloads(ReloadResult.Outcome outcome) {
        return metrics.counter("floorgate.config.reloads", "result", outcome.label()).count();
    }

    @Test
    void reloadNow_whenFileSaysWhatIsInForce_thenUnchangedAndNothingApplied() {
        ReloadResult result = await(watcher.reloadNow());

        assertThat(result.outcome()).isEqualTo(ReloadResult.Outcome.UNCHANGED);
        assertThat(result.problems()).isEmpty();
        assertThat(applied).isEmpty();
        assertThat(reloads(ReloadResult.Outcome.UNCHANGED)).isEqualTo(1);
    }

    @Test
    void reloadNow_whenFileChangedAndIsValid_thenAppliedOnceAndThenUnchanged() throws Exception {
        Files.writeString(file, TestStore.yaml(50, 20, "5ms"));

        ReloadResult first = await(watcher.reloadNow());
        ReloadResult second = await(watcher.reloadNow());

        assertThat(first.outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
        assertThat(second.outcome()).isEqualTo(ReloadResult.Outcome.UNCHANGED);
        assertThat(applied).singleElement().satisfies(c -> assertThat(c.limits().devicePublishBurst()).isEqualTo(20));
        assertThat(reloads(ReloadResult.Outcome.APPLIED)).isEqualTo(1);
    }

    @Test
    void reloadNow_whenFileIsBroken_thenRefusedWithEveryProblemAndTheConfigurationInForceStays() throws Exception {
        StoreConfig before = inForce.get();
        Files.writeString(file, TestStore.yaml(-1, 20, "5ms").replace("kind: aisle", "kind: moon-base"));

        ReloadResult result = await(watcher.reloadNow());

        assertThat(result.outcome()).isEqualTo(ReloadResult.Outcome.REFUSED);
        assertThat(result.problems()).hasSizeGreaterThan(1)
                .anySatisfy(p -> assertThat(p).contains("store.yaml").contains("moon-base"))
                .anySatisfy(p -> assertThat(p).contains("devicePublishRate"));
        assertThat(applied).isEmpty();
        assertThat(inForce.get()).isSameAs(before);
        assertThat(reloads(ReloadResult.Outcome.REFUSED)).isEqualTo(1);
    }

    @Test
    void reloadNow_whenFileIsGone_thenRefusedSayingItCouldNotBeRead() throws Exception {
        Files.delete(file);

        ReloadResult result = await(watcher.reloadNow());

        assertThat(result.outcome()).isEqualTo(ReloadResult.Outcome.REFUSED);
        assertThat(result.problems()).singleElement().asString().contains("store.yaml");
    }
}
