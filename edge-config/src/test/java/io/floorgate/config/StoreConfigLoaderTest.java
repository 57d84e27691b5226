package io.floorgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class StoreConfigLoaderTest {

    private static final Path FILE = Path.of("stores/test-store.yaml");
    private static final Function<String, String> NO_ENV = name -> null;

    /** A small valid store; tests append to it or replace parts of it. */
    private static final String VALID = """
            store: { id: s1, chain: acme, name: Test store }
            floorPlan: { widthM: 20, depthM: 10 }
            zones:
              - id: entrance
                name: Entrance
                kind: entrance
                polygon: [[0, 0], [10, 0], [10, 10], [0, 10]]
                adjacent: [pickup]
              - id: pickup
                name: Pickup
                kind: pickup
                polygon: [[10, 0], [20, 0], [20, 10], [10, 10]]
            devices:
              - { id: ble-1, kind: ble-receiver, zone: entrance, position: [5, 5], secret: "twelve-chars-ok" }
              - { id: nfc-1, kind: nfc-reader, zone: pickup, position: [15, 5], secret: "twelve-chars-ok" }
            pickup:
              points:
                - { id: counter-1, zone: pickup, nfcReader: nfc-1 }
            """;

    @Test
    void parse_whenFileIsValid_thenDefaultsApplyAndAdjacencyIsSymmetric() throws Exception {
        StoreConfig config = StoreConfigLoader.parse(FILE, VALID, NO_ENV);

        assertThat(config.zone("pickup").orElseThrow().adjacent()).containsExactly("entrance");
        assertThat(config.zone("entrance").orElseThrow().adjacent()).containsExactly("pickup");
        assertThat(config.pickup().serviceLevel()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.limits()).isEqualTo(new Limits(16 * 1024, 50, 200, 20_000));
        assertThat(config.ingest()).isEqualTo(new Ingest(Duration.ofMillis(2), 1000, 20_000));
        assertThat(config.listeners().mqttPort()).isEqualTo(1883);
        assertThat(config.listeners().httpPort()).isEqualTo(8080);
        assertThat(config.listeners().tls()).isEmpty();
        assertThat(config.upstream().clientId()).isEqualTo("floorgate-s1");
        assertThat(config.upstream().summaryWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.upstream().outboxMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(config.retention()).isEqualTo(new Retention(Duration.ofDays(30), Duration.ofDays(30),
                Duration.ofDays(7), Duration.ofDays(90), Duration.ofDays(7), Duration.ofDays(30)));
        assertThat(config.device("ble-1").orElseThrow().secret()).isEqualTo("twelve-chars-ok");
        assertThat(config.sessions()).isEqualTo(new Sessions(Duration.ofMinutes(30), Duration.ofSeconds(60),
                Optional.empty()));
    }

    @Test
    void parse_whenSessionsAreGiven_thenTimeoutRotationAndTokenAreRead() throws Exception {
        StoreConfig config = StoreConfigLoader.parse(FILE, VALID + """
                sessions: { inactivityTimeout: 2h, rotationPeriod: 15s, systemClientTokenEnv: ORDER_TOKEN }
                """, Map.of("ORDER_TOKEN", "a-token-of-twenty-four-chars")::get);

        assertThat(config.sessions().inactivityTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(config.sessions().rotationPeriod()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.sessions().systemClientToken()).contains("a-token-of-twenty-four-chars");
        assertThat(config.sessions().toString()).doesNotContain("a-token-of-twenty-four-chars");
    }

    @Test
    void parse_whenOnLocationWithdrawnIsGiven_thenThePolicyIsRead_andDeleteIsTheDefault() throws Exception {
        StoreConfig config = StoreConfigLoader.parse(FILE, VALID + """
                sessions: { onLocationWithdrawn: anonymize }
                """, Map.<String, String>of()::get);

        assertThat(config.sessions().onLocationWithdrawn()).isEqualTo(Sessions.LocationWithdrawal.ANONYMIZE);
        assertThat(StoreConfigLoader.parse(FILE, VALID, Map.<String, String>of()::get).sessions()
                .onLocationWithdrawn()).isEqualTo(Sessions.LocationWithdrawal.DELETE);
    }

    @Test
    void parse_whenOnLocationWithdrawnIsNoPolicy_thenTheProblemNamesTheFieldAndThePolicies() {
        List<ConfigProblem> problems = problemsOf(VALID + """
                sessions: { onLocationWithdrawn: forget }
                """);

        assertThat(problems).extracting(ConfigProblem::field).containsExactly("sessions.onLocationWithdrawn");
        assertThat(problems.get(0).message()).contains("'forget'", "delete", "anonymize");
    }

    @Test
    void parse_whenSessionsAreOutOfRangeOrTheTokenIsShort_thenEachIsAProblemAndNothingIsClamped() {
        List<ConfigProblem> problems = problemsOf(VALID + """
                sessions: { inactivityTimeout: 30s, rotationPeriod: 2h, systemClientToken: "too-short-a-token" }
                """);

        assertThat(problems).extracting(ConfigProblem::field).containsExactly(
                "sessions.inactivityTimeout", "sessions.rotationPeriod", "sessions.systemClientToken");
        assertThat(problems).extracting(ConfigProblem::line).containsOnly(19);
        assertThat(problems.get(2).message()).contains("at least 24").doesNotContain("too-short-a-token");
    }

    @Test
    void parse_whenFileHasSeveralMistakes_thenReportsEveryOneWithLineAndField() {
        String yaml = """
                store: { id: s1, chain: acme, name: Test store }
                floorPlan: { widthM: 20, depthM: 10 }
                zones:
                  - id: entrance
                    name: Entrance
                    kind: lobby
                    polygon: [[0, 0], [10, 0], [10, 10], [0, 10]]
                devices:
                  - id: ble-1
                    kind: ble-receiver
                    zone: aisle-9
                    position: [5, 5]
                    secret: "twelve-chars-ok"
                  - id: ble-2
                    kind: ble-receiver
                    zone: entrance
                    position: [5, 5]
                    secrte: "twelve-chars-ok"
                limits:
                  maxEventBytes: 10
                ingest:
                  commitInterval: 5 seconds
                """;

        List<ConfigProblem> problems = problemsOf(yaml);

        assertThat(problems).extracting(ConfigProblem::line, ConfigProblem::field).containsExactlyInAnyOrder(
                tuple(6, "zones[0].kind"),
                tuple(18, "devices[1].secrte"),
                tuple(14, "devices[1].secret"),
                tuple(20, "limits.maxEventBytes"),
                tuple(22, "ingest.commitInterval"),
                tuple(11, "devices[0].zone"));
        assertThat(problems).allSatisfy(p -> assertThat(p.file()).isEqualTo(FILE));
        assertThat(problems).filteredOn(p -> p.field().equals("zones[0].kind")).singleElement()
                .satisfies(p -> assertThat(p.column()).isEqualTo(11));
    }

    @Test
    void parse_whenDeviceZoneIsUnknown_thenProblemNamesLineAndField() {
        String yaml = VALID.replace("zone: entrance, position: [5, 5]", "zone: lobby, position: [5, 5]");

        assertThat(problemsOf(yaml)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(14);
            assertThat(p.field()).isEqualTo("devices[0].zone");
            assertThat(p.message()).contains("'lobby'", "entrance, pickup");
        });
    }

    @Test
    void parse_whenYamlSyntaxIsBroken_thenProblemNamesTheLine() {
        String yaml = """
                store: { id: s1, chain: acme, name: Test store }
                floorPlan: { widthM: 20, depthM: 10
                zones: []
                """;

        assertThat(problemsOf(yaml)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.field()).isEqualTo("(yaml syntax)");
        });
    }

    @Test
    void parse_whenKeyIsUnknown_thenProblemListsTheExpectedKeys() {
        String yaml = VALID + "limits: { maxEventByte: 1024 }\n";

        assertThat(problemsOf(yaml)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(19);
            assertThat(p.field()).isEqualTo("limits.maxEventByte");
            assertThat(p.message()).contains("unknown field 'maxEventByte'", "maxEventBytes", "devicePublishRate");
        });
    }

    @Test
    void parse_whenKeyAppearsTwice_thenProblemPointsAtTheSecond() {
        String yaml = VALID + "limits:\n  maxEventBytes: 1024\n  maxEventBytes: 2048\n";

        assertThat(problemsOf(yaml)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(21);
            assertThat(p.message()).contains("first at line 20");
        });
    }

    @Test
    void parse_whenIdsAreDuplicated_thenEachDuplicateIsReportedWithTheFirstLine() {
        String yaml = VALID
                .replace("id: nfc-1, kind: nfc-reader", "id: ble-1, kind: nfc-reader")
                .replace("  - id: pickup\n    name: Pickup", "  - id: entrance\n    name: Pickup")
                + "products:\n  - { sku: A1, name: Socks, zone: entrance }\n  - { sku: A1, name: Cap, zone: entrance }\n";

        assertThat(problemsOf(yaml))
                .filteredOn(p -> p.message().startsWith("duplicate"))
                .extracting(ConfigProblem::field, ConfigProblem::line)
                .containsExactlyInAnyOrder(
                        tuple("zones[1].id", 9),
                        tuple("devices[1].id", 15),
                        tuple("products[1].sku", 21));
        assertThat(problemsOf(yaml)).filteredOn(p -> p.field().equals("zones[1].id")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("first used at line 4"));
    }

    @Test
    void parse_whenNumbersAreOutOfRange_thenProblemsNameTheAllowedRangeAndNothingIsClamped() {
        String yaml = VALID + """
                limits: { maxEventBytes: 2000000, devicePublishRate: 0, devicePublishBurst: 0 }
                listeners: { mqttPort: 70000 }
                ingest: { commitMaxBatch: 100001 }
                upstream: { outboxMaxRows: 0 }
                """;

        assertThat(problemsOf(yaml)).extracting(ConfigProblem::field, ConfigProblem::message)
                .containsExactlyInAnyOrder(
                        tuple("limits.maxEventBytes", "is 2000000; must be between 64 and 1048576"),
                        tuple("limits.devicePublishRate", "is 0.0; must be greater than 0 and at most 100000.0"),
                        tuple("limits.devicePublishBurst", "is 0; must be at least 1"),
                        tuple("listeners.mqttPort", "is 70000; must be between 0 and 65535"),
                        tuple("ingest.commitMaxBatch", "is 100001; must be between 1 and 100000"),
                        tuple("upstream.outboxMaxRows", "is 0; must be at least 1"));
    }

    @Test
    void parse_whenANumberIsWrittenAsText_thenItIsAProblem() {
        String yaml = VALID + "listeners: { httpPort: \"8080\", mqttPort: 1883.5 }\n";

        assertThat(problemsOf(yaml)).extracting(ConfigProblem::field, ConfigProblem::message)
                .containsExactlyInAnyOrder(
                        tuple("listeners.httpPort", "expected an integer, found '8080'"),
                        tuple("listeners.mqttPort", "expected an integer, found a decimal number 1883.5"));
    }

    @Test
    void parse_whenDurationsAreMalformedOrOutOfRange_thenProblemsNameTheAcceptedForms() {
        String yaml = VALID + """
                ingest: { commitInterval: 2s }
                upstream: { summaryWindow: 1.5m }
                retention: { sessions: 30s, orders: 90 }
                """;

        List<ConfigProblem> problems = problemsOf(yaml);

        assertThat(problems).extracting(ConfigProblem::field).containsExactlyInAnyOrder(
                "ingest.commitInterval", "upstream.summaryWindow", "retention.sessions", "retention.orders");
        assertThat(problems).filteredOn(p -> p.field().equals("ingest.commitInterval")).singleElement()
                .extracting(ConfigProblem::message).isEqualTo("is 2s; must be between 1ms and 1s");
        assertThat(problems).filteredOn(p -> p.field().equals("upstream.summaryWindow")).singleElement()
                .extracting(ConfigProblem::message).asString().contains("250ms, 5s, 5m, 2h or 7d");
        assertThat(problems).filteredOn(p -> p.field().equals("retention.sessions")).singleElement()
                .extracting(ConfigProblem::message).isEqualTo("is 30s; must be at least 1m");
    }

    @Test
    void parse_whenRequiredFieldsAreMissing_thenEachIsReportedAtItsMapping() {
        String yaml = """
                store: { id: s1, name: Test store }
                zones:
                  - id: entrance
                    kind: entrance
                    polygon: [[0, 0], [10, 0], [10, 10]]
                devices:
                  - { id: ble-1, kind: ble-receiver, zone: entrance }
                """;

        assertThat(problemsOf(yaml)).extracting(ConfigProblem::field, ConfigProblem::line)
                .containsExactlyInAnyOrder(
                        tuple("store.chain", 1),
                        tuple("floorPlan", 1),
                        tuple("zones[0].name", 3),
                        tuple("devices[0].position", 7),
                        tuple("devices[0].secret", 7));
    }

    @Test
    void parse_whenSecretEnvIsSet_thenTheSecretComesFromTheEnvironment() throws Exception {
        String yaml = VALID.replace("secret: \"twelve-chars-ok\" }\n  - { id: nfc-1",
                "secretEnv: BLE_1_SECRET }\n  - { id: nfc-1");

        StoreConfig config = StoreConfigLoader.parse(FILE, yaml, Map.of("BLE_1_SECRET", "from-the-environment")::get);

        assertThat(config.device("ble-1").orElseThrow().secret()).isEqualTo("from-the-environment");
    }

    @Test
    void parse_whenSecretEnvVariableIsMissingOrShort_thenProblemNamesTheVariableNotTheSecret() {
        String yaml = VALID
                .replace("secret: \"twelve-chars-ok\" }\n  - { id: nfc-1", "secretEnv: BLE_1_SECRET }\n  - { id: nfc-1")
                .replace("position: [15, 5], secret: \"twelve-chars-ok\"", "position: [15, 5], secretEnv: NFC_SECRET");

        List<ConfigProblem> problems = problemsOf(yaml, Map.of("NFC_SECRET", "short-one")::get);

        assertThat(problems).extracting(ConfigProblem::field, ConfigProblem::message).containsExactlyInAnyOrder(
                tuple("devices[0].secretEnv", "environment variable BLE_1_SECRET is not set"),
                tuple("devices[1].secretEnv",
                        "environment variable NFC_SECRET holds 9 characters; a secret needs at least 12"));
        assertThat(problems.toString()).doesNotContain("short-one");
    }

    @Test
    void parse_whenBothSecretAndSecretEnvAreGiven_thenItIsAProblem() {
        String yaml = VALID.replace("secret: \"twelve-chars-ok\" }\n  - { id: nfc-1",
                "secret: \"twelve-chars-ok\", secretEnv: X }\n  - { id: nfc-1");

        assertThat(problemsOf(yaml)).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("give exactly one"));
    }

    @Test
    void parse_whenBrokerUriIsSetWithoutHashKey_thenHashKeyIsRequired() throws Exception {
        assertThat(problemsOf(VALID + "upstream: { brokerUri: \"tcp://broker.example:1883\" }\n"))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("upstream.hashKey");
                    assertThat(p.line()).isEqualTo(19);
                });
        StoreConfig withKey = StoreConfigLoader.parse(FILE,
                VALID + "upstream: { brokerUri: \"ssl://broker.example:8883\", hashKeyEnv: HASH_KEY }\n",
                Map.of("HASH_KEY", "sixteen-chars-key")::get);
        assertThat(withKey.upstream().brokerUri()).contains("ssl://broker.example:8883");
        assertThat(withKey.upstream().hashKey()).isEqualTo("sixteen-chars-key");
    }

    @Test
    void parse_whenUpstreamIsCompleteInBlockStyle_thenEveryFieldIsRead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("chain-ca.pem"), "not checked here");
        Files.writeString(dir.resolve("gw.pem"), "not checked here");
        Files.writeString(dir.resolve("gw.key"), "not checked here");
        String yaml = VALID + """
                upstream:
                  brokerUri: ssl://broker.example:8883
                  protocol: mqtt3
                  username: store-s1
                  passwordEnv: UPLINK_PASSWORD
                  tls: { caFile: chain-ca.pem, certFile: gw.pem, keyFile: gw.key }
                  outboxMaxRows: 500
                  outboxMaxBytes: 1048576
                  outboxMaxAge: 2d
                  drainMaxRate: 250
                  inFlight: 20
                  reconnectMin: 500ms
                  reconnectMax: 30s
                  hashKey: sixteen-chars-key
                """;

        Upstream upstream = StoreConfigLoader.parse(dir.resolve("store.yaml"), yaml,
                Map.of("UPLINK_PASSWORD", "uplink-secret-1")::get).upstream();

        assertThat(upstream.brokerUri()).contains("ssl://broker.example:8883");
        assertThat(upstream.outboxMaxRows()).isEqualTo(500);
        assertThat(upstream.outboxMaxBytes()).isEqualTo(1_048_576);
        assertThat(upstream.outboxMaxAge()).isEqualTo(Duration.ofDays(2));
        assertThat(upstream.link()).isEqualTo(new Upstream.Link(Upstream.Protocol.MQTT3, Optional.of("store-s1"),
                Optional.of("uplink-secret-1"), Optional.of(new Upstream.Tls(Optional.of(dir.resolve("chain-ca.pem")),
                        Optional.of(dir.resolve("gw.pem")), Optional.of(dir.resolve("gw.key")))),
                250, 20, Duration.ofMillis(500), Duration.ofSeconds(30)));
        assertThat(upstream.toString()).doesNotContain("uplink-secret-1").doesNotContain("sixteen-chars-key");
    }

    @Test
    void parse_whenUpstreamIsLeftOut_thenTheLinkDefaultsToMqtt5WithoutCredentials() throws Exception {
        Upstream upstream = StoreConfigLoader.parse(FILE, VALID, NO_ENV).upstream();

        assertThat(upstream.brokerUri()).isEmpty();
        assertThat(upstream.outboxMaxBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(upstream.link()).isEqualTo(Upstream.Link.DEFAULT);
        assertThat(upstream.link().protocol()).isEqualTo(Upstream.Protocol.MQTT5);
    }

    @Test
    void parse_whenBrokerUriIsWrong_thenEachIsRefusedWithFileLineAndField() {
        List<String> wrong = List.of("tcp://:1883", "tcp://", "ssl://broker.example:70000", "tcp://broker.example:0",
                "tcp://broker.example:mqtt", "mqtt://broker.example:1883", "broker.example:1883",
                "tcp://broker.example:1883/chain", "tcp://user:pw@broker.example:1883");
        List<String> expected = List.of("has no host", "has no host", "has port 70000; must be between 1 and 65535",
                "has port 0; must be between 1 and 65535", "has port 'mqtt', which is not a number",
                "has scheme mqtt, not one of tcp, ssl, ws, wss", "has scheme broker.example", "has a path",
                "holds a user name");

        for (int i = 0; i < wrong.size(); i++) {
            String yaml = VALID + "upstream:\n  hashKey: sixteen-chars-key\n  brokerUri: \"" + wrong.get(i) + "\"\n";
            String message = expected.get(i);
            assertThat(problemsOf(yaml)).as(wrong.get(i)).singleElement().satisfies(p -> {
                assertThat(p.toString()).startsWith(FILE + ":21:");
                assertThat(p.field()).isEqualTo("upstream.brokerUri");
                assertThat(p.message()).contains(message);
            });
        }
    }

    @Test
    void parse_whenHashKeyIsShort_thenItIsRefusedWithoutPrintingIt() {
        String yaml = VALID + """
                upstream:
                  brokerUri: tcp://broker.example:1883
                  hashKey: fifteen-chars-k
                """;

        assertThat(problemsOf(yaml)).singleElement().satisfies(p -> {
            assertThat(p.toString()).startsWith(FILE + ":21:");
            assertThat(p.field()).isEqualTo("upstream.hashKey");
            assertThat(p.message()).contains("15 characters").contains("at least 16")
                    .doesNotContain("fifteen-chars-k");
        });
    }

    @Test
    void parse_whenLinkFieldsAreWrong_thenEachIsRefusedAtItsLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("gw.pem"), "not checked here");
        String yaml = VALID + """
                upstream:
                  brokerUri: tcp://broker.example:1883
                  protocol: mqtt4
                  password: uplink-secret-1
                  tls: { certFile: gw.pem }
                  outboxMaxBytes: 1000
                  drainMaxRate: 0
                  inFlight: 70000
                  reconnectMin: 5s
                  reconnectMax: 1s
                  hashKey: sixteen-chars-key
                """;

        List<ConfigProblem> problems = problemsOf(yaml, dir.resolve("store.yaml"));

        assertThat(problems).extracting(ConfigProblem::line, ConfigProblem::field).containsExactlyInAnyOrder(
                tuple(21, "upstream.protocol"),
                tuple(22, "upstream.password"),
                tuple(23, "upstream.tls.keyFile"),
                tuple(24, "upstream.outboxMaxBytes"),
                tuple(25, "upstream.drainMaxRate"),
                tuple(26, "upstream.inFlight"),
                tuple(28, "upstream.reconnectMax"));
        assertThat(problems.toString()).doesNotContain("uplink-secret-1")
                .contains("'mqtt4' is not one of: mqtt5, mqtt3").contains("without a username")
                .contains("must be at least reconnectMin (5s)");
    }

    @Test
    void parse_whenTlsIsGivenForAPlainBroker_thenItIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ca.pem"), "not checked here");
        String yaml = VALID + """
                upstream:
                  brokerUri: tcp://broker.example:1883
                  tls: { caFile: ca.pem }
                  hashKey: sixteen-chars-key
                """;

        assertThat(problemsOf(yaml, dir.resolve("store.yaml"))).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("upstream.tls");
            assertThat(p.message()).contains("ssl://");
        });
    }

    @Test
    void parse_whenTlsCertificateIsMissing_thenProblemNamesTheResolvedPath(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("key.pem"), "not checked here");
        Path file = dir.resolve("store.yaml");
        String yaml = VALID + "listeners: { tls: { cert: certs/cert.pem, key: key.pem } }\n";

        assertThatThrownBy(() -> StoreConfigLoader.parse(file, yaml, NO_ENV))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.field()).isEqualTo("listeners.tls.cert");
                            assertThat(p.message()).contains(dir.resolve("certs/cert.pem").toString());
                        }));
    }

    @Test
    void parse_whenTlsFilesExist_thenRelativePathsResolveAgainstTheFilesDirectory(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "cert");
        Files.writeString(dir.resolve("key.pem"), "key");
        String yaml = VALID + "listeners: { tls: { cert: cert.pem, key: key.pem } }\n";

        Listeners.Tls tls = StoreConfigLoader.parse(dir.resolve("store.yaml"), yaml, NO_ENV).listeners().tls()
                .orElseThrow();

        assertThat(tls.port()).isEqualTo(8883);
        assertThat(tls.certPath()).isEqualTo(dir.resolve("cert.pem").toAbsolutePath());
    }

    @Test
    void parse_whenPortsClash_thenTheSecondIsReported() {
        assertThat(problemsOf(VALID + "listeners: { mqttPort: 8080 }\n")).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("port 8080 is already used by listeners.mqttPort"));
    }

    @Test
    @Timeout(10)
    void parse_whenYamlExpandsAliasesExponentially_thenItIsRefusedWithAProblem() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        yaml.append("store: *a9\n");

        assertThat(problemsOf(yaml.toString())).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("aliases"));
    }

    @Test
    @Timeout(10)
    void load_whenFileIsHuge_thenItIsRefusedBeforeParsing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("huge.yaml");
        Files.writeString(file, "# " + "x".repeat(StoreConfigLoader.MAX_FILE_BYTES) + "\n");

        assertThatThrownBy(() -> StoreConfigLoader.load(file, NO_ENV))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.file()).isEqualTo(file);
                            assertThat(p.message()).contains("larger than 4 MiB");
                        }));
    }

    @Test
    void parse_whenYamlTagAsksForAJavaClass_thenItIsRefusedWithAProblem() {
        String yaml = VALID.replace("name: Test store", "name: !!javax.script.ScriptEngineManager [x]");

        assertThat(problemsOf(yaml)).singleElement()
                .satisfies(p -> {
                    assertThat(p.line()).isEqualTo(1);
                    assertThat(p.message()).contains("Global tag is not allowed");
                });
    }

    @Test
    void parse_whenPolygonHasFewerThanThreePoints_thenItIsAProblem() {
        String yaml = VALID.replace("[[10, 0], [20, 0], [20, 10], [10, 10]]", "[[10, 0], [20, 0]]");

        assertThat(problemsOf(yaml)).filteredOn(p -> p.field().equals("zones[1].polygon")).singleElement()
                .satisfies(p -> {
                    assertThat(p.line()).isEqualTo(12);
                    assertThat(p.message()).contains("has 2 point(s); a polygon needs at least 3");
                });
    }

    @Test
    void parse_whenDeviceIsOutsideTheFloorPlanOrFarFromItsZone_thenBothAreProblems() {
        String yaml = VALID
                .replace("zone: entrance, position: [5, 5]", "zone: entrance, position: [25, 5]")
                .replace("zone: pickup, position: [15, 5]", "zone: pickup, position: [5, 5]")
                .replace("[0, 10]]\n", "[0, 12]]\n");

        assertThat(problemsOf(yaml)).extracting(ConfigProblem::field, ConfigProblem::message)
                .containsExactlyInAnyOrder(
                        tuple("devices[0].position", "[25, 5] is outside the floor plan, which spans x 0..20 and y 0..10 m"),
                        tuple("devices[1].position",
                                "[5, 5] is 5.0 m outside its zone 'pickup'; a device must be inside it or within 1 m of it"),
                        tuple("zones[0].polygon[3]", "[0, 12] is outside the floor plan, which spans x 0..20 and y 0..10 m"));
    }

    @Test
    void parse_whenPickupPointUsesTheWrongKindOfZoneOrDevice_thenBothAreProblems() {
        String yaml = VALID.replace("{ id: counter-1, zone: pickup, nfcReader: nfc-1 }",
                "{ id: counter-1, zone: entrance, nfcReader: ble-1 }");

        assertThat(problemsOf(yaml)).extracting(ConfigProblem::field).containsExactlyInAnyOrder(
                "pickup.points[0].zone", "pickup.points[0].nfcReader");
    }

    @Test
    void parse_whenQueueIsSmallerThanABatch_thenItIsAProblem() {
        assertThat(problemsOf(VALID + "ingest: { commitMaxBatch: 500, queueCapacity: 100 }\n")).singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("ingest.queueCapacity"));
    }

    @Test
    void parse_whenAuditRetentionIsGiven_thenItIsRead_andAnAuditLogShorterThanTheShopperDataItIsAboutIsAProblem()
            throws Exception {
        assertThat(StoreConfigLoader.parse(FILE, VALID + "retention: { audit: 400d, orders: 400d }\n", NO_ENV)
                .retention().audit()).isEqualTo(Duration.ofDays(400));

        assertThat(problemsOf(VALID + "retention: { audit: 30d, orders: 90d }\n")).singleElement()
                .satisfies(p -> {
                    assertThat(p.field()).isEqualTo("retention.audit");
                    assertThat(p.message()).contains("shorter than retention.orders (90d)");
                });
    }

    @Test
    void parse_whenConnectionAndHttpLimitsAreGiven_thenEachIsRead() throws Exception {
        StoreConfig config = StoreConfigLoader.parse(FILE, VALID + """
                limits:
                  maxDevicesConnected: 10
                  maxConnections: 12
                  connectionRatePerAddress: 2.5
                  connectionBurstPerAddress: 3
                  connectTimeout: 500ms
                  maxKeepAlive: 2s
                  devicePingRate: 4
                  devicePingBurst: 5
                  maxWriteBufferBytes: 4096
                  httpMaxHeaderBytes: 2048
                  httpMaxBodyBytes: 1024
                  httpBodyTimeout: 300ms
                  webSocketMaxFrameBytes: 256
                  webSocketMessageRate: 1.5
                  webSocketMessageBurst: 6
                """, NO_ENV);

        assertThat(config.limits()).isEqualTo(new Limits(16 * 1024, 50, 200, 10, 12, 2.5, 3, Duration.ofMillis(500),
                Duration.ofSeconds(2), 4, 5, 4096, 2048, 1024, Duration.ofMillis(300), 256, 1.5, 6));
    }

    @Test
    void parse_whenConnectionLimitsAreLeftOut_thenTheGlobalCapLeavesRoomBeyondTheDevices() throws Exception {
        StoreConfig config = StoreConfigLoader.parse(FILE, VALID + "limits: { maxDevicesConnected: 50 }\n", NO_ENV);

        assertThat(config.limits().maxConnections()).isEqualTo(1_050);
        assertThat(config.limits().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.limits().httpMaxBodyBytes()).isEqualTo(16 * 1024);
    }

    @Test
    void parse_whenGlobalCapIsBelowTheDevices_thenItIsAProblem() {
        assertThat(problemsOf(VALID + "limits: { maxDevicesConnected: 50, maxConnections: 49 }\n")).singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("limits.maxConnections"));
    }

    @Test
    void parse_whenALimitIsOutOfRange_thenEachIsAProblemNamingItsField() {
        assertThat(problemsOf(VALID + """
                limits: { connectTimeout: 10ms, maxKeepAlive: 70000s, maxWriteBufferBytes: 10, httpMaxBodyBytes: 0,
                          webSocketMaxFrameBytes: 100, connectionRatePerAddress: 0 }
                """)).extracting(ConfigProblem::field).containsExactlyInAnyOrder("limits.connectTimeout",
                "limits.maxKeepAlive", "limits.maxWriteBufferBytes", "limits.httpMaxBodyBytes",
                "limits.webSocketMaxFrameBytes", "limits.connectionRatePerAddress");
    }

    @Test
    void parse_whenFileIsEmpty_thenItIsAProblem() {
        assertThat(problemsOf("# nothing here\n")).singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo(Problems.WHOLE_FILE));
    }

    /** Found by StoreConfigFuzzTest: the root's problem named the empty path as its field. */
    @Test
    void parse_whenTheDocumentIsNotAMapping_thenTheProblemNamesTheWholeFile() {
        assertThat(problemsOf("store:0n/objet\n")).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo(Problems.WHOLE_FILE);
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.message()).startsWith("expected a mapping");
        });
    }

    @Test
    void configException_listsEveryProblemInItsMessage() {
        assertThatThrownBy(() -> StoreConfigLoader.parse(FILE, VALID.replace("widthM: 20", "widthM: -1"), NO_ENV))
                .hasMessageContaining("1 problem(s)")
                .hasMessageContaining("stores/test-store.yaml:2:22: floorPlan.widthM: is -1.0; must be greater than 0");
    }

    private static List<ConfigProblem> problemsOf(String yaml) {
        return problemsOf(yaml, NO_ENV);
    }

    private static List<ConfigProblem> problemsOf(String yaml, Function<String, String> env) {
        return problemsOf(yaml, FILE, env);
    }

    /** @param file where the file is said to be: relative paths in it are read from its directory */
    private static List<ConfigProblem> problemsOf(String yaml, Path file) {
        return problemsOf(yaml, file, NO_ENV);
    }

    private static List<ConfigProblem> problemsOf(String yaml, Path file, Function<String, String> env) {
        try {
            StoreConfigLoader.parse(file, yaml, env);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }
}
