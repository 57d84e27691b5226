package io.floorgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The {@code storage:} section: the free-space floor, what a damaged database at start does, and backups. */
class StorageConfigTest {

    private static final Path FILE = Path.of("stores/storage-store.yaml");
    /** Four lines; the storage section starts on line 5. */
    private static final String STORE = """
            store: { id: s1, chain: acme, name: Storage store }
            floorPlan: { widthM: 10, depthM: 10 }
            zones:
              - { id: floor, name: Floor, kind: aisle, polygon: [[0, 0], [10, 0], [10, 10], [0, 10]] }
            """;

    @Test
    void parse_whenStorageIsLeftOut_thenTheDefaultsApply() throws Exception {
        assertThat(StoreConfigLoader.parse(FILE, STORE).storage()).isEqualTo(StoragePolicy.DEFAULT);
        assertThat(StoragePolicy.DEFAULT).isEqualTo(new StoragePolicy(64L * 1024 * 1024,
                StoragePolicy.OnDamaged.REFUSE, Duration.ofHours(1), 24));
    }

    @Test
    void parse_whenStorageIsGiven_thenEachFieldIsRead() throws Exception {
        StoragePolicy storage = StoreConfigLoader.parse(FILE, STORE + """
                storage:
                  minFreeSpace: 512KB
                  onDamaged: restore-latest-backup
                  backupInterval: 15m
                  backupsKept: 3
                """).storage();

        assertThat(storage).isEqualTo(new StoragePolicy(512 * 1024, StoragePolicy.OnDamaged.RESTORE_LATEST_BACKUP,
                Duration.ofMinutes(15), 3));
    }

    @Test
    void parse_whenSizesUseEachUnit_thenEachIsAPowerOf1024() throws Exception {
        for (var size : List.of(tuple("0B", 0L), tuple("100B", 100L), tuple("2KB", 2048L),
                tuple("64MB", 64L << 20), tuple("3GB", 3L << 30), tuple("1TB", 1L << 40))) {
            Object[] pair = size.toArray();
            assertThat(StoreConfigLoader.parse(FILE, STORE + "storage: { minFreeSpace: " + pair[0] + " }\n")
                    .storage().minFreeSpaceBytes()).as("%s", pair[0]).isEqualTo(pair[1]);
        }
    }

    @Test
    void parse_whenStorageValuesAreWrong_thenEachIsAProblemWithItsLineAndNothingIsClamped() {
        List<ConfigProblem> problems = problemsOf(STORE + """
                storage:
                  minFreeSpace: 64 megabytes
                  onDamaged: start-empty
                  backupInterval: 500ms
                  backupsKept: 1001
                """);

        assertThat(problems).extracting(ConfigProblem::line, ConfigProblem::field, ConfigProblem::message)
                .containsExactly(
                        tuple(6, "storage.minFreeSpace", "'64 megabytes' is not a size; write an integer followed by"
                                + " B, KB, MB, GB or TB, for example 512KB or 64MB"),
                        tuple(7, "storage.onDamaged", "'start-empty' is not one of: refuse, restore-latest-backup"),
                        tuple(8, "storage.backupInterval", "is 500ms; must be between 1s and 7d"),
                        tuple(9, "storage.backupsKept", "is 1001; must be between 0 and 1000"));
    }

    @Test
    void parse_whenTheFloorIsAboveATerabyteOrAPlainNumber_thenItIsAProblem() {
        assertThat(problemsOf(STORE + "storage: { minFreeSpace: 2TB }\n")).extracting(ConfigProblem::message)
                .containsExactly("is 2TB; must be between 0B and 1TB");
        assertThat(problemsOf(STORE + "storage: { minFreeSpace: 1000 }\n")).extracting(ConfigProblem::message)
                .containsExactly("'1000' is not a size; write an integer followed by B, KB, MB, GB or TB, for"
                        + " example 512KB or 64MB");
    }

    @Test
    void parse_whenBackupsAreRestoredOnDamageButNoneAreKept_thenOnDamagedIsAProblem() {
        assertThat(problemsOf(STORE + "storage: { onDamaged: restore-latest-backup, backupsKept: 0 }\n"))
                .singleElement().satisfies(p -> {
                    assertThat(p.line()).isEqualTo(5);
                    assertThat(p.field()).isEqualTo("storage.onDamaged");
                    assertThat(p.message()).isEqualTo("is restore-latest-backup but backupsKept is 0: there would"
                            + " never be a backup to restore; keep at least 1");
                });
    }

    @Test
    void parse_whenStorageHasAnUnknownField_thenItIsAProblem() {
        assertThat(problemsOf(STORE + "storage: { minFree: 1GB }\n")).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("unknown field 'minFree'; expected one of:"
                        + " minFreeSpace, onDamaged, backupInterval, backupsKept"));
    }

    private static List<ConfigProblem> problemsOf(String yaml) {
        try {
            StoreConfigLoader.parse(FILE, yaml);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }
}
