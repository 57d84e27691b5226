package io.floorgate.gateway.staff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import io.floorgate.config.PasswordHash;
import io.floorgate.config.StaffRole;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.GatewayMain;
import io.floorgate.gateway.testing.TestStore;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HashPasswordCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void hashPassword_whenThePasswordComesOnStandardInput_thenPrintsAHashThatVerifiesAndLoadsInAStoreFile()
            throws Exception {
        int exit = run("correct horse battery staple\nthe second line is not read\n");

        assertThat(exit).isZero();
        String line = out.toString(StandardCharsets.UTF_8).strip();
        PasswordHash hash = PasswordHash.parse(line);
        assertThat(hash.iterations()).isEqualTo(600_000);
        assertThat(hash.salt()).hasSize(16);
        assertThat(PasswordHasher.matches(hash, "correct horse battery staple")).isTrue();
        assertThat(PasswordHasher.matches(hash, "correct horse battery stapler")).isFalse();
        StoreConfig config = StoreConfigLoader.parse(Path.of("store.yaml"), TestStore.yaml(10, 10, "5ms")
                + "staff:\n  - { id: anna, role: manager, passwordHash: \"" + line + "\" }\n");
        assertThat(config.staff().account("anna").orElseThrow().role()).isEqualTo(StaffRole.MANAGER);
        assertThat(config.staff().account("anna").orElseThrow().passwordHash()).isEqualTo(hash);
    }

    @Test
    void hashPassword_whenThePasswordIsShortOrAbsent_thenPrintsNothingAndFails() {
        assertThat(run("seven-c\n")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs 8 to 1024 characters; this one has 7");
        assertThat(run("")).isEqualTo(1);
        assertThat(out.size()).isZero();
    }

    @Test
    void hashPassword_isASubcommandOfTheGatewaysCommandLine() {
        CommandLine gateway = new CommandLine(new GatewayMain());

        assertThat(gateway.getSubcommands()).containsKey("hash-password");
    }

    private int run(String stdin) {
        HashPasswordCommand command = new HashPasswordCommand(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Optional.empty());
        return new CommandLine(command).execute();
    }
}
