package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.floorgate.config.Listeners;
import io.floorgate.config.Sessions;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.DatabaseKey;
import io.floorgate.gateway.store.KeySource;
import io.floorgate.gateway.store.NewKeyCommand;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.Shoppers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The database at rest (DESIGN, "Storage"): what a copy of the data directory, or of a backup, gives away without the
 * key; and what the gateway does at start with a missing or wrong key.
 */
class EncryptionAtRestTest {

    private static final String SYSTEM_TOKEN = "order-system-token-0123456789abcdef";
    private static final String STORE = "demo-001";
    private static final String POINT = "counter-1";
    private static final String CUSTOMER = "customer-ref-Q7ZK2M";
    private static final String ORDER = "order-X5PW3V";

    @TempDir
    Path dir;

    @Test
    void dataDirectoryAndBackup_afterSessionAndOrder_holdNoCustomerReferenceAdvertisingKeyOrOrderInClear()
            throws Exception {
        DatabaseKey key = DatabaseKey.of("a-test-key-of-at-least-thirty-two-characters", "the test");
        Path dataDir = dir.resolve("data");
        Map<String, byte[]> secrets = sessionAndOrder(dataDir, Optional.of(key));
        Path backup = backup(dataDir, Optional.of(key));

        assertThat(Database.file(dataDir)).exists();
        assertThat(clearTextIn(dataDir, backup, secrets)).as("what a copy shows without the key").isEmpty();
    }

    /**
     * The same search finds the order id and the advertising key in a database kept in clear: it is a search that can
     * fail. The customer reference is not there even in clear: it is stored only as a keyed hash (V7).
     */
    @Test
    void dataDirectoryAndBackup_whenUnencrypted_thenTheSameSearchFindsWhatIsStoredInClear() throws Exception {
        Path dataDir = dir.resolve("data");
        Map<String, byte[]> secrets = sessionAndOrder(dataDir, Optional.empty());
        Path backup = backup(dataDir, Optional.empty());

        List<String> found = clearTextIn(dataDir, backup, secrets);
        assertThat(found).contains("order id as UTF-8 in floorgate.mv.db", "advertising key in floorgate.mv.db",
                "order id as UTF-8 in backup.zip!floorgate.mv.db", "advertising key in backup.zip!floorgate.mv.db");
        assertThat(found).noneMatch(place -> place.startsWith("customer reference"));
    }

    @Test
    void start_whenTheKeyIsWrong_thenRefusesWithExitCodeAndTheDatabaseIsUnchangedAndOpensWithItsKey()
            throws Exception {
        Path dataDir = dir.resolve("data");
        Path rightKey = keyFile("right.key");
        String sessionId = checkedInAndStopped(dataDir, rightKey);
        byte[] before = sha256(Database.file(dataDir));

        Start wrong = startMain("--data-dir", dataDir.toString(), "--db-key-file", keyFile("wrong.key").toString());

        assertThat(wrong.exitCode()).isEqualTo(GatewayMain.EXIT_DATABASE_KEY);
        assertThat(wrong.err()).contains("does not open the database in " + dataDir, "encrypted with another key");
        assertThat(sha256(Database.file(dataDir))).as("the database file").isEqualTo(before);
        assertThat(openSessionIds(dataDir, rightKey)).containsExactly(sessionId);
    }

    @Test
    void start_whenNoKeyIsGiven_thenRefusesSayingHowToGiveOneAndCreatesNoDatabase() throws Exception {
        Path fresh = dir.resolve("fresh");

        Start noKey = startMain("--data-dir", fresh.toString());

        assertThat(noKey.exitCode()).isEqualTo(GatewayMain.EXIT_DATABASE_KEY);
        assertThat(noKey.err()).contains("no database key", "--db-key-file", KeySource.ENV, KeySource.CREDENTIAL,
                "--unencrypted");
        assertThat(Database.file(fresh)).doesNotExist();
    }

    @Test
    void start_whenAnEncryptedDatabaseIsStartedWithoutItsKey_thenRefusesAndTheDataIsIntact() throws Exception {
        Path dataDir = dir.resolve("data");
        Path key = keyFile("store.key");
        String sessionId = checkedInAndStopped(dataDir, key);
        byte[] before = sha256(Database.file(dataDir));

        Start unencrypted = startMain("--data-dir", dataDir.toString(), "--unencrypted");

        assertThat(unencrypted.exitCode()).isEqualTo(GatewayMain.EXIT_DATABASE_KEY);
        assertThat(unencrypted.err()).contains("is encrypted and no key was given");
        assertThat(sha256(Database.file(dataDir))).isEqualTo(before);
        assertThat(openSessionIds(dataDir, key)).containsExactly(sessionId);
    }

    @Test
    void start_whenTheEnvironmentGivesAKey_thenThatKeyIsTheOneTried() throws Exception {
        Path dataDir = dir.resolve("data");
        Path key = keyFile("store.key");
        checkedInAndStopped(dataDir, key);

        Start wrongEnv = startMain(Map.of(KeySource.ENV, "another-key-of-at-least-thirty-two-characters"),
                "--data-dir", dataDir.toString());

        assertThat(wrongEnv.exitCode()).as("the environment's key is read, and it is not this database's")
                .isEqualTo(GatewayMain.EXIT_DATABASE_KEY);
        assertThat(wrongEnv.err()).contains("from the environment variable " + KeySource.ENV);
    }

    @Test
    void start_whenTheKeyFileIsReadableByOthers_thenRefusesLikeSsh() throws Exception {
        Path key = keyFile("store.key");
        Assumptions.assumeTrue(Files.getFileStore(key).supportsFileAttributeView("posix"),
                "file permissions need a POSIX file system");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        Start open = startMain("--data-dir", dir.resolve("data").toString(), "--db-key-file", key.toString());

        assertThat(open.exitCode()).isEqualTo(GatewayMain.EXIT_DATABASE_KEY);
        assertThat(open.err()).contains("open to its group or others (rw-r--r--)", "chmod 600 " + key);
        assertThat(Database.file(dir.resolve("data"))).doesNotExist();
    }

    /** A shopper checks in with a customer reference (the session stays open) and the order system readies an order. */
    private Map<String, byte[]> sessionAndOrder(Path dataDir, Optional<DatabaseKey> key) {
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        try (RunningGateway gw = RunningGateway.start(GatewaySettings.of(storeWithOrderSystem(), dataDir)
                .withDatabaseKey(key))) {
            AppClient app = new AppClient(gw);
            Shoppers.CheckedIn shopper = Shoppers.checkIn(app, STORE, true, Optional.of(CUSTOMER));
            assertThat(app.send("PUT", "/api/v1/orders/" + ORDER, SYSTEM_TOKEN, new JsonObject().put("status", "READY")
                    .put("pickupPointId", POINT).put("customerRef", CUSTOMER).put("code", "code-1").encode())
                    .statusCode()).isEqualTo(201);
            secrets.put("advertising key", shopper.session().advertisingKey());
        }
        secrets.putAll(textForms("customer reference", CUSTOMER));
        secrets.putAll(textForms("order id", ORDER));
        byte[] advertisingKey = secrets.get("advertising key");
        secrets.put("advertising key in base64", Base64.getEncoder().encode(advertisingKey));
        secrets.put("advertising key in hex", HexFormat.of().formatHex(advertisingKey).getBytes(StandardCharsets.US_ASCII));
        return secrets;
    }

    private static Map<String, byte[]> textForms(String what, String text) {
        Map<String, byte[]> forms = new LinkedHashMap<>();
        forms.put(what + " as UTF-8", text.getBytes(StandardCharsets.UTF_8));
        forms.put(what + " as UTF-16BE", text.getBytes(StandardCharsets.UTF_16BE));
        forms.put(what + " as UTF-16LE", text.getBytes(StandardCharsets.UTF_16LE));
        forms.put(what + " in hex", HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII));
        forms.put(what + " in upper-case hex", HexFormat.of().withUpperCase()
                .formatHex(text.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
        return forms;
    }

    /** H2's own backup of the stopped gateway's database, as the gateway's periodic backup makes it. */
    private Path backup(Path dataDir, Optional<DatabaseKey> key) throws Exception {
        Path zip = dir.resolve("backup.zip");
        try (Database db = Database.open(dataDir, key); Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("BACKUP TO '" + zip + "'");
        }
        return zip;
    }

    /** "what in which file" for every secret found in clear in a file of the data directory or in the backup. */
    private static List<String> clearTextIn(Path dataDir, Path backup, Map<String, byte[]> secrets) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                search(dataDir.relativize(file).toString(), Files.readAllBytes(file), secrets, found);
            }
        }
        search(backup.getFileName().toString(), Files.readAllBytes(backup), secrets, found);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(backup))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                search(backup.getFileName() + "!" + entry.getName(), zip.readAllBytes(), secrets, found);
            }
        }
        return found;
    }

    private static void search(String file, byte[] content, Map<String, byte[]> secrets, List<String> found) {
        secrets.forEach((what, bytes) -> {
            if (indexOf(content, bytes) >= 0) {
                found.add(what + " in " + file);
            }
        });
    }

    private static int indexOf(byte[] content, byte[] part) {
        outer:
        for (int i = 0; i <= content.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (content[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private String checkedInAndStopped(Path dataDir, Path keyFile) throws Exception {
        DatabaseKey key = new KeySource(Map.of()).key(Optional.of(keyFile), KeySource.ENV).orElseThrow();
        try (RunningGateway gw = RunningGateway.start(GatewaySettings.of(storeWithOrderSystem(), dataDir)
                .withDatabaseKey(Optional.of(key)))) {
            return Shoppers.checkIn(new AppClient(gw), STORE, true, Optional.of(CUSTOMER)).session().id();
        }
    }

    private static List<String> openSessionIds(Path dataDir, Path keyFile) throws Exception {
        DatabaseKey key = new KeySource(Map.of()).key(Optional.of(keyFile), KeySource.ENV).orElseThrow();
        List<String> ids = new ArrayList<>();
        try (Database db = Database.open(dataDir, Optional.of(key)); Connection c = db.connect();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM shopper_session WHERE ended_at IS NULL")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private Path keyFile(String name) throws IOException {
        Path file = dir.resolve(name);
        NewKeyCommand.write(file, new SecureRandom());
        return file;
    }

    private record Start(int exitCode, String err) {
    }

    private static Start startMain(String... args) {
        return startMain(Map.of(), args);
    }

    /** GatewayMain as an operator starts it, for a start that is refused (one that succeeds would run on). */
    private static Start startMain(Map<String, String> env, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--mqtt-port", "0", "--http-port", "0"));
        int code = new CommandLine(new GatewayMain(env, new PrintStream(err, true, StandardCharsets.UTF_8)))
                .execute(all.toArray(String[]::new));
        return new Start(code, err.toString(StandardCharsets.UTF_8));
    }

    private static StoreConfig storeWithOrderSystem() {
        try {
            StoreConfig demo = StoreConfigLoader.loadDemo();
            return demo.withListeners(new Listeners("127.0.0.1", 0, 0, Optional.empty()))
                    .withSessions(new Sessions(demo.sessions().inactivityTimeout(), demo.sessions().rotationPeriod(),
                            Optional.of(SYSTEM_TOKEN)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
        }
    }
}
