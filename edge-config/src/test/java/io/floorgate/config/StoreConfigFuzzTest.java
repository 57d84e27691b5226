package io.floorgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The store-file loader on any text: it gives a validated {@link StoreConfig} or one {@link ConfigException} whose
 * every problem names the file and a field and says what is wrong, never another exception. A file is edited by
 * people on a store's machine; whatever they write, the gateway must say where the mistake is rather than fail
 * with a stack trace. In the normal build this replays the committed inputs under {@code StoreConfigFuzzTestInputs}
 * (the demo store and variants of it); {@code gateway/bench/fuzz.sh} fuzzes it.
 */
class StoreConfigFuzzTest {

    private static final Path FILE = Path.of("stores/fuzzed-store.yaml");
    /** secretEnv, hashKeyEnv and the like resolve against this instead of the process environment. */
    private static final Function<String, String> ENV = Map.of(
            "DEVICE_SECRET", "a-device-secret-from-the-environment",
            "HASH_KEY", "a-hash-key-from-the-environment",
            "SHORT", "short")::get;

    @FuzzTest
    void storeFile_loadsOrFailsWithProblemsNamingFileAndField(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        StoreConfig config;
        try {
            config = StoreConfigLoader.parse(FILE, text, ENV);
        } catch (ConfigException e) {
            assertThat(e.problems()).as("a refusal lists its problems").isNotEmpty();
            for (ConfigProblem problem : e.problems()) {
                assertThat(problem.file()).isEqualTo(FILE);
                assertThat(problem.field()).as("field of %s", problem).isNotBlank();
                assertThat(problem.message()).as("message of %s", problem).isNotBlank();
                assertThat(problem.line()).isNotNegative();
                assertThat(problem.column()).isNotNegative();
            }
            return;
        }
        // Accepted: what the rest of the gateway relies on without checking again.
        assertThat(config.storeId()).isNotBlank();
        assertThat(config.zones()).isNotEmpty();
        Set<String> zones = config.zones().stream().map(Zone::id).collect(Collectors.toSet());
        config.devices().forEach(d -> assertThat(zones).as("zone of device %s", d.id()).contains(d.zone()));
        config.zones().forEach(z -> assertThat(zones).as("neighbours of zone %s", z.id()).containsAll(z.adjacent()));
    }
}
