package io.floorgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeySourceTest {

    private static final String ENV_KEY = "a-key-from-the-environment-0123456789";

    @TempDir
    Path dir;

    @Test
    void gatewayKey_whenAFileIsNamed_thenTheFileWinsOverTheEnvironmentAndTheCredential() throws Exception {
        Path file = dir.resolve("db.key");
        NewKeyCommand.write(file, new SecureRandom());
        credential();

        Optional<DatabaseKey> key = new KeySource(Map.of(KeySource.ENV, ENV_KEY, "CREDENTIALS_DIRECTORY",
                dir.resolve("credentials").toString())).gatewayKey(Optional.of(file));

        assertThat(key).map(DatabaseKey::source).contains(file.toString());
    }

    @Test
    void gatewayKey_whenOnlyTheEnvironmentAndTheCredentialGiveOne_thenTheEnvironmentWins() throws Exception {
        credential();

        Optional<DatabaseKey> key = new KeySource(Map.of(KeySource.ENV, ENV_KEY, "CREDENTIALS_DIRECTORY",
                dir.resolve("credentials").toString())).gatewayKey(Optional.empty());

        assertThat(key).map(DatabaseKey::source).contains("the environment variable " + KeySource.ENV);
    }

    @Test
    void gatewayKey_whenOnlySystemdGivesACredential_thenItIsRead() throws Exception {
        Path credential = credential();

        Optional<DatabaseKey> key = new KeySource(Map.of("CREDENTIALS_DIRECTORY", dir.resolve("credentials")
                .toString())).gatewayKey(Optional.empty());

        assertThat(key).map(DatabaseKey::source).contains(credential.toString());
    }

    @Test
    void gatewayKey_whenNothingGivesOne_thenIsEmpty() throws Exception {
        assertThat(new KeySource(Map.of()).gatewayKey(Optional.empty())).isEmpty();
        assertThat(new KeySource(Map.of()).anyGiven(Optional.empty())).isFalse();
    }

    @Test
    void gatewayKey_whenTheKeyFileIsOpenToItsGroup_thenIsRefusedSayingChmod600() throws Exception {
        Path file = dir.resolve("db.key");
        NewKeyCommand.write(file, new SecureRandom());
        Assumptions.assumeTrue(Files.getFileStore(file).supportsFileAttributeView("posix"),
                "file permissions need a POSIX file system");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> new KeySource(Map.of()).gatewayKey(Optional.of(file)))
                .isInstanceOf(KeyRefused.class).hasMessageContaining("(rw-r-----)", "chmod 600 " + file);
    }

    @Test
    void anyGiven_whenOnlyTheEnvironmentHasAKey_thenIsTrue() {
        assertThat(new KeySource(Map.of(KeySource.ENV, ENV_KEY)).anyGiven(Optional.empty())).isTrue();
    }

    @Test
    void databaseKey_ofExactlyTheMinimumLength_thenIsAKey() throws Exception {
        assertThat(DatabaseKey.of("k".repeat(DatabaseKey.MIN_LENGTH), "the test").source()).isEqualTo("the test");
        assertThatThrownBy(() -> DatabaseKey.of("k".repeat(DatabaseKey.MIN_LENGTH - 1), "the test"))
                .isInstanceOf(KeyRefused.class);
    }

    @Test
    void newKey_thenTheFileIsReadableByItsOwnerOnlyAndNeverOverwritten() throws Exception {
        Path file = dir.resolve("db.key");
        NewKeyCommand.write(file, new SecureRandom());
        String first = Files.readString(file);

        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(new CommandLine(new NewKeyCommand()).execute("--out", file.toString())).isEqualTo(1);
        assertThat(Files.readString(file)).isEqualTo(first);
        assertThat(first.strip()).hasSize(44);
    }

    private Path credential() throws Exception {
        Files.createDirectories(dir.resolve("credentials"));
        Path credential = dir.resolve("credentials").resolve(KeySource.CREDENTIAL);
        NewKeyCommand.write(credential, new SecureRandom());
        return credential;
    }
}
