package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.DatabaseKey;
import io.floorgate.gateway.store.KeyRefused;
import io.floorgate.gateway.store.KeySource;
import io.floorgate.gateway.store.NewKeyCommand;
import io.floorgate.gateway.store.RotateKeyCommand;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.Shoppers;
import io.floorgate.gateway.testing.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code floorgate-gateway rotate-key} (docs/encryption.md): a stopped gateway's database re-encrypted under a new key,
 * or encrypted for the first time, with its sealed advertising keys resealed, so that open sessions come back.
 */
class KeyRotationTest {

    @TempDir
    Path dir;
    private Path dataDir;
    private Path oldKey;
    private Path newKey;

    @BeforeEach
    void keys() throws IOException {
        dataDir = dir.resolve("data");
        oldKey = keyFile("old.key");
        newKey = keyFile("new.key");
    }

    @Test
    void rotateKey_thenTheDatabaseOpensWithTheNewKeyOnlyAndTheOpenSessionComesBackWithItsAdvertisingKey()
            throws Exception {
        ShopperSession session = checkedIn(Optional.of(oldKey));

        Run rotated = rotate("--data-dir", dataDir.toString(), "--old-key-file", oldKey.toString(),
                "--new-key-file", newKey.toString());

        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("encrypted with the key from " + newKey, "1 sealed value(s) resealed");
        assertThatThrownBy(() -> Database.open(dataDir, Optional.of(key(oldKey)))).isInstanceOf(KeyRefused.class)
                .hasMessageContaining("does not open the database");
        assertThat(restoredAdvertisingKey(session.id(), Optional.of(newKey))).isEqualTo(session.advertisingKey());
        assertThat(dataDir.resolve("key-rotation.work")).doesNotExist();
    }

    @Test
    void rotateKey_fromUnencrypted_thenTheFileIsEncryptedAndTheAdvertisingKeySealed() throws Exception {
        ShopperSession session = checkedIn(Optional.empty());

        Run encrypted = rotate("--data-dir", dataDir.toString(), "--from-unencrypted", "--new-key-file",
                newKey.toString());

        assertThat(encrypted.exitCode()).as(encrypted.err()).isZero();
        assertThat(Files.readAllBytes(Database.file(dataDir))).startsWith("H2encrypt\n".getBytes(StandardCharsets.US_ASCII));
        try (Database db = Database.open(dataDir, Optional.of(key(newKey))); Connection c = db.connect();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT advertising_key FROM shopper_session")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBytes(1)).as("format byte: sealed").startsWith(1)
                    .hasSize(1 + 4 + 12 + session.advertisingKey().length + 16);
        }
        assertThat(restoredAdvertisingKey(session.id(), Optional.of(newKey))).isEqualTo(session.advertisingKey());
    }

    @Test
    void rotateKey_whileTheGatewayRuns_thenIsRefusedAndChangesNothing() throws Exception {
        try (RunningGateway gw = RunningGateway.start(settings(Optional.of(oldKey)))) {
            Shoppers.checkIn(new AppClient(gw), TestStore.STORE_ID, true);
            Run refused = rotate("--data-dir", dataDir.toString(), "--old-key-file", oldKey.toString(),
                    "--new-key-file", newKey.toString());

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("is in use (a gateway runs on it): stop the gateway");
        }
        try (Database db = Database.open(dataDir, Optional.of(key(oldKey))); Connection c = db.connect();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM shopper_session WHERE advertising_key IS NOT NULL")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the open session, under the old key").isEqualTo(1);
        }
    }

    @Test
    void rotateKey_whenTheOldKeyFromTheEnvironmentIsWrong_thenIsRefusedAndTheFileIsUnchanged() throws Exception {
        checkedIn(Optional.of(oldKey));
        byte[] before = sha256(Database.file(dataDir));

        Run refused = rotate(Map.of("FLOORGATE_DB_OLD_KEY", "not-the-key-but-long-enough-to-be-one-0123",
                "FLOORGATE_DB_NEW_KEY", Files.readString(newKey)), "--data-dir", dataDir.toString());

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("the old key (from the environment variable FLOORGATE_DB_OLD_KEY) does not"
                + " open the database", "nothing was changed");
        assertThat(sha256(Database.file(dataDir))).isEqualTo(before);
        assertThat(dataDir.resolve("key-rotation.work")).doesNotExist();
    }

    @Test
    void rotateKey_withoutOldKeyOrFromUnencrypted_thenSaysWhichIsMissing() {
        Run refused = rotate("--data-dir", dataDir.toString(), "--new-key-file", newKey.toString());

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("no old key", "--old-key-file", "--from-unencrypted");
    }

    /** A shopper checks in and stays; the gateway stops. */
    private ShopperSession checkedIn(Optional<Path> key) throws Exception {
        try (RunningGateway gw = RunningGateway.start(settings(key))) {
            return Shoppers.checkIn(new AppClient(gw), TestStore.STORE_ID, true).session();
        }
    }

    /** The advertising key of the session as a gateway started with {@code key} restored it. */
    private byte[] restoredAdvertisingKey(String sessionId, Optional<Path> key) throws Exception {
        try (RunningGateway gw = RunningGateway.start(settings(key))) {
            return gw.gateway().sessions().find(sessionId).orElseThrow().advertisingKey();
        }
    }

    private GatewaySettings settings(Optional<Path> keyFile) throws KeyRefused {
        Optional<DatabaseKey> key = keyFile.isPresent() ? Optional.of(key(keyFile.get())) : Optional.empty();
        return GatewaySettings.of(TestStore.config(), dataDir).withDatabaseKey(key);
    }

    private static DatabaseKey key(Path file) throws KeyRefused {
        return new KeySource(Map.of()).key(Optional.of(file), KeySource.ENV).orElseThrow();
    }

    private Path keyFile(String name) throws IOException {
        Path file = dir.resolve(name);
        NewKeyCommand.write(file, new SecureRandom());
        return file;
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run rotate(String... args) {
        return rotate(Map.of(), args);
    }

    private static Run rotate(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new RotateKeyCommand(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
        }
    }
}
