package io.floorgate.sim.checkin;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Session keys as text, one session a line: {@code sessionId,base64 key,rotation period in seconds}.
 * Written by {@code checkin}, read by {@code load --sightings-from-sessions}. It holds secrets of
 * live sessions: a benchmark's scratch file, not something to keep.
 */
public final class SessionKeyFile {

    private static final int FIELDS = 3;

    private SessionKeyFile() {
    }

    public static void write(Path file, List<SessionKey> keys) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (SessionKey k : keys) {
                w.write(k.sessionId() + "," + Base64.getEncoder().encodeToString(k.key()) + ","
                        + k.rotationPeriod().toSeconds());
                w.newLine();
            }
        }
    }

    public static List<SessionKey> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read session keys from " + file, e);
        }
        List<SessionKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            if (f.length != FIELDS) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected sessionId,key,periodSeconds");
            }
            keys.add(new SessionKey(f[0], Base64.getDecoder().decode(f[1]), Duration.ofSeconds(Long.parseLong(f[2]))));
        }
        return keys;
    }
}
