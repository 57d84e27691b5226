package io.floorgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code staff:} accounts, the {@code staffSessions:} settings and {@code listeners.httpTls}. */
class StaffConfigTest {

    private static final Path FILE = Path.of("stores/staff-store.yaml");
    /** Four lines; the staff sections start on line 5. */
    private static final String STORE = """
            store: { id: s1, chain: acme, name: Staff store }
            floorPlan: { widthM: 10, depthM: 10 }
            zones:
              - { id: floor, name: Floor, kind: aisle, polygon: [[0, 0], [10, 0], [10, 10], [0, 10]] }
            """;
    private static final String SALT = b64(16);
    private static final String HASH = b64(32);
    private static final String GOOD_HASH = "pbkdf2-sha256$600000$" + SALT + "$" + HASH;

    @Test
    void parse_whenStaffIsGiven_thenAccountsAreReadAndSessionDefaultsApply() throws Exception {
        StoreConfig config = StoreConfigLoader.parse(FILE, STORE + """
                staff:
                  - { id: anna.k, role: associate, passwordHash: "%s" }
                  - { id: boss_1, role: admin, passwordHash: "%s" }
                """.formatted(GOOD_HASH, GOOD_HASH.replace("600000", "1200000")));

        assertThat(config.staff().accounts()).extracting(StaffAccount::id, StaffAccount::role)
                .containsExactly(tuple("anna.k", StaffRole.ASSOCIATE), tuple("boss_1", StaffRole.ADMIN));
        PasswordHash hash = config.staff().account("anna.k").orElseThrow().passwordHash();
        assertThat(hash.iterations()).isEqualTo(600_000);
        assertThat(hash.salt()).isEqualTo(Base64.getDecoder().decode(SALT));
        assertThat(hash.encoded()).isEqualTo(GOOD_HASH);
        assertThat(config.staff().account("boss_1").orElseThrow().passwordHash().iterations()).isEqualTo(1_200_000);
        assertThat(config.staff().sessions()).isEqualTo(new StaffSessionPolicy(Duration.ofMinutes(30),
                Duration.ofHours(12), 1000, new StaffSessionPolicy.LoginLockout(5, Duration.ofMinutes(15),
                Duration.ofMinutes(15))));
    }

    @Test
    void parse_whenStaffIsLeftOut_thenNobodyCanLogInAndDefaultsApply() throws Exception {
        assertThat(StoreConfigLoader.parse(FILE, STORE).staff()).isEqualTo(Staff.NONE);
    }

    @Test
    void parse_whenStaffIdsRepeatOrBreakTheRule_thenEachIsAProblemWithItsLine() {
        List<ConfigProblem> problems = problemsOf(STORE + """
                staff:
                  - { id: anna, role: associate, passwordHash: "%1$s" }
                  - { id: Anna, role: manager, passwordHash: "%1$s" }
                  - { id: anna, role: admin, passwordHash: "%1$s" }
                """.formatted(GOOD_HASH));

        assertThat(problems).extracting(ConfigProblem::line, ConfigProblem::field, ConfigProblem::message)
                .containsExactly(
                        tuple(7, "staff[1].id", "'Anna' is not 1 to 64 lower-case letters, digits, '.', '_' or '-'"),
                        tuple(8, "staff[2].id", "duplicate staff id 'anna'; first used at line 6"));
    }

    @Test
    void parse_whenRoleIsUnknownOrFieldsAreMissing_thenEachIsAProblem() {
        List<ConfigProblem> problems = problemsOf(STORE + """
                staff:
                  - { id: anna, role: owner, passwordHash: "%s" }
                  - { id: ben }
                """.formatted(GOOD_HASH));

        assertThat(problems).extracting(ConfigProblem::field, ConfigProblem::message).containsExactly(
                tuple("staff[0].role", "'owner' is not one of: associate, manager, admin"),
                tuple("staff[1].role", "is required"),
                tuple("staff[1].passwordHash", "is required"));
    }

    @Test
    void parse_whenPasswordHashIsWeakOrMalformed_thenEachIsRefusedWithoutRepeatingIt() {
        List<String> hashes = List.of(
                "plain-text-password",
                "pbkdf2-sha1$600000$" + SALT + "$" + HASH,
                "pbkdf2-sha256$599999$" + SALT + "$" + HASH,
                "pbkdf2-sha256$10000001$" + SALT + "$" + HASH,
                "pbkdf2-sha256$600000$" + b64(8) + "$" + HASH,
                "pbkdf2-sha256$600000$" + SALT + "$" + b64(20),
                "pbkdf2-sha256$600000$" + SALT + "$AA" + HASH);
        StringBuilder yaml = new StringBuilder(STORE).append("staff:\n");
        for (int i = 0; i < hashes.size(); i++) {
            yaml.append("  - { id: s").append(i).append(", role: associate, passwordHash: \"")
                    .append(hashes.get(i)).append("\" }\n");
        }

        List<ConfigProblem> problems = problemsOf(yaml.toString());

        assertThat(problems).extracting(ConfigProblem::field).containsExactly(
                "staff[0].passwordHash", "staff[1].passwordHash", "staff[2].passwordHash", "staff[3].passwordHash",
                "staff[4].passwordHash", "staff[5].passwordHash", "staff[6].passwordHash");
        assertThat(problems).extracting(ConfigProblem::message).satisfiesExactly(
                m -> assertThat(m).contains("is not a password hash of the form pbkdf2-sha256$", "hash-password"),
                m -> assertThat(m).contains("is not a password hash of the form"),
                m -> assertThat(m).contains("has 599999 PBKDF2 iterations; at least 600000 are required"),
                m -> assertThat(m).contains("at most 10000000"),
                m -> assertThat(m).isEqualTo("has a salt of 8 bytes; it must have 16 to 64"),
                m -> assertThat(m).isEqualTo("has a hash of 20 bytes; it must have 32"),
                m -> assertThat(m).startsWith("has a hash that is not Base64"));
        assertThat(problems.toString()).doesNotContain(SALT, HASH, "plain-text-password");
    }

    @Test
    void parse_whenStaffSessionSettingsAreOutOfRange_thenEachIsAProblemAndNothingIsClamped() {
        List<ConfigProblem> problems = problemsOf(STORE + """
                staffSessions:
                  idleTimeout: 30s
                  absoluteTimeout: 8d
                  maxSessions: 0
                  lockout: { maxFailures: 0, window: 2d, duration: 0s }
                """);

        assertThat(problems).extracting(ConfigProblem::field, ConfigProblem::message).containsExactly(
                tuple("staffSessions.idleTimeout", "is 30s; must be between 1m and 1d"),
                tuple("staffSessions.absoluteTimeout", "is 8d; must be between 1m and 7d"),
                tuple("staffSessions.maxSessions", "is 0; must be between 1 and 100000"),
                tuple("staffSessions.lockout.maxFailures", "is 0; must be between 1 and 100"),
                tuple("staffSessions.lockout.window", "is 2d; must be between 1m and 1d"),
                tuple("staffSessions.lockout.duration", "is 0s; must be between 1m and 1d"));
    }

    @Test
    void parse_whenIdleTimeoutIsLongerThanTheAbsoluteOne_thenItIsAProblem() {
        assertThat(problemsOf(STORE + "staffSessions: { idleTimeout: 2h, absoluteTimeout: 1h }\n")).singleElement()
                .satisfies(p -> {
                    assertThat(p.field()).isEqualTo("staffSessions.idleTimeout");
                    assertThat(p.line()).isEqualTo(5);
                    assertThat(p.message()).isEqualTo("is 2h, longer than absoluteTimeout (1h); a session cannot"
                            + " stay idle longer than it may last");
                });
    }

    @Test
    void parse_whenStaffSessionSettingsAreGiven_thenTheyAreRead() throws Exception {
        StaffSessionPolicy policy = StoreConfigLoader.parse(FILE, STORE + """
                staffSessions: { idleTimeout: 10m, absoluteTimeout: 8h, maxSessions: 50, lockout: { maxFailures: 3 } }
                """).staff().sessions();

        assertThat(policy).isEqualTo(new StaffSessionPolicy(Duration.ofMinutes(10), Duration.ofHours(8), 50,
                new StaffSessionPolicy.LoginLockout(3, Duration.ofMinutes(15), Duration.ofMinutes(15))));
    }

    @Test
    void parse_whenLockoutHasAnUnknownField_thenItIsAProblem() {
        assertThat(problemsOf(STORE + "staffSessions: { lockout: { attempts: 3 } }\n")).singleElement()
                .satisfies(p -> assertThat(p.message())
                        .isEqualTo("unknown field 'attempts'; expected one of: maxFailures, window, duration"));
    }

    @Test
    void parse_whenHttpTlsFilesExist_thenTheyResolveAgainstTheFilesDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "cert");
        Files.writeString(dir.resolve("key.pem"), "key");

        Listeners listeners = StoreConfigLoader.parse(dir.resolve("store.yaml"),
                STORE + "listeners: { httpTls: { cert: cert.pem, key: key.pem } }\n").listeners();

        assertThat(listeners.httpTls()).contains(new Listeners.HttpTls(dir.resolve("cert.pem").toAbsolutePath(),
                dir.resolve("key.pem").toAbsolutePath()));
        assertThat(listeners.tls()).isEmpty();
    }

    @Test
    void parse_whenHttpTlsKeyIsMissing_thenTheProblemNamesTheField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "cert");

        assertThatThrownBy(() -> StoreConfigLoader.parse(dir.resolve("store.yaml"),
                STORE + "listeners: { httpTls: { cert: cert.pem, key: nowhere.pem } }\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.field()).isEqualTo("listeners.httpTls.key");
                            assertThat(p.message()).contains(dir.resolve("nowhere.pem").toString());
                        }));
    }

    @Test
    void passwordHash_whenEncodedAndParsed_thenIsTheSameHash() {
        PasswordHash hash = PasswordHash.parse(GOOD_HASH);

        assertThat(PasswordHash.parse(hash.encoded())).isEqualTo(hash).hasSameHashCodeAs(hash);
        assertThat(hash.toString()).doesNotContain(SALT, HASH);
    }

    @Test
    void staffRole_includesItselfAndTheRolesBelowIt() {
        assertThat(StaffRole.ADMIN.includes(StaffRole.MANAGER)).isTrue();
        assertThat(StaffRole.MANAGER.includes(StaffRole.MANAGER)).isTrue();
        assertThat(StaffRole.MANAGER.includes(StaffRole.ASSOCIATE)).isTrue();
        assertThat(StaffRole.ASSOCIATE.includes(StaffRole.MANAGER)).isFalse();
        assertThat(StaffRole.MANAGER.includes(StaffRole.ADMIN)).isFalse();
    }

    private static List<ConfigProblem> problemsOf(String yaml) {
        try {
            StoreConfigLoader.parse(FILE, yaml, name -> null);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }

    /** Base64 without padding of {@code bytes} bytes counting up. */
    private static String b64(int bytes) {
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) (i * 7 + 1);
        }
        return Base64.getEncoder().withoutPadding().encodeToString(data);
    }
}
