package io.floorgate.sim.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.config.DeviceKind;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import java.nio.file.Path;
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
}
