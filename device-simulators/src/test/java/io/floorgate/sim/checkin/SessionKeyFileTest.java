package io.floorgate.sim.checkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void read_whenWrittenBefore_thenSameSessionsKeysAndPeriods() throws Exception {
        Path file = dir.resolve("sessions.csv");
        byte[] key = new byte[32];
        key[31] = 9;
        SessionKeyFile.write(file, List.of(new SessionKey("abc", key, Duration.ofSeconds(60))));

        List<SessionKey> read = SessionKeyFile.read(file);

        assertThat(read).hasSize(1);
        assertThat(read.get(0).sessionId()).isEqualTo("abc");
        assertThat(read.get(0).key()).isEqualTo(key);
        assertThat(read.get(0).rotationPeriod()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void read_whenALineIsMalformed_thenFailsNamingFileAndLine() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "abc,AAAA,60\nonly-one-field\n");

        assertThatThrownBy(() -> SessionKeyFile.read(file)).hasMessageContaining("bad.csv:2");
    }
}
