package io.floorgate.sim.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.config.DeviceKind;
import io.floorgate.config.Sessions;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreYamlWriterTest {

    @Test
    void toYaml_whenBenchmarkStoreIsWritten_thenTheLoaderReadsBackTheSameDevicesAndLimits() throws Exception {
        StoreConfig generated = SyntheticStore.forBenchmark(500).build();
        StoreConfig loaded = StoreConfigLoader.parse(Path.of("generated.yaml"), StoreYamlWriter.toYaml(generated));

        assertThat(loaded.devices()).hasSize(500);
        assertThat(loaded.devices()).extracting(d -> d.id() + d.secret() + d.kind())
                .containsExactlyElementsOf(generated.devices().stream().map(d -> d.id() + d.secret() + d.kind()).toList());
        assertThat(loaded.devices().stream().filter(d -> d.kind() == DeviceKind.NFC_READER)).hasSize(100);
        assertThat(loaded.limits()).isEqualTo(SyntheticStore.BENCHMARK_LIMITS);
        assertThat(loaded.zones()).hasSize(12);
    }

    @Test
    void toYaml_whenStoreHasAnOrderSystemToken_thenTheLoaderReadsBackTheSessions() throws Exception {
        StoreConfig built = SyntheticStore.forBenchmark(50).build();
        StoreConfig generated = built.withSessions(new Sessions(Duration.ofMinutes(45), Duration.ofSeconds(30),
                Optional.of("bench-order-system-token-0123456789")));
        StoreConfig loaded = StoreConfigLoader.parse(Path.of("generated.yaml"), StoreYamlWriter.toYaml(generated));

        assertThat(loaded.sessions()).isEqualTo(generated.sessions());
        assertThat(loaded.pickup()).isEqualTo(generated.pickup());
    }
}
