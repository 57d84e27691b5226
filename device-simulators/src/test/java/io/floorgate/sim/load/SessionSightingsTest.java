package io.floorgate.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.Sighting;
import io.floorgate.sim.checkin.SessionKey;
import io.floorgate.sim.play.RotatingAdvertiser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionSightingsTest {

    private static final long NOW = 1_700_000_000_000L;

    @Test
    void batch_whenConnectionsShareTheSessions_thenTogetherTheyCarryEveryCurrentIdOnce() {
        List<SessionKey> sessions = new ArrayList<>();
        Set<com.google.protobuf.ByteString> expected = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            byte[] key = new byte[32];
            key[0] = (byte) i;
            sessions.add(new SessionKey("s" + i, key, Duration.ofSeconds(60)));
            expected.add(com.google.protobuf.ByteString.copyFrom(
                    new RotatingAdvertiser(key, Duration.ofSeconds(60)).idAt(NOW)));
        }

        Set<com.google.protobuf.ByteString> heard = new HashSet<>();
        int total = 0;
        for (int c = 0; c < 4; c++) {
            BeaconSightings batch = SessionSightings.batch(sessions, c, 4, 10, NOW);
            total += batch.getSightingsCount();
            batch.getSightingsList().stream().map(Sighting::getObservedId).forEach(heard::add);
        }

        assertThat(total).isEqualTo(40);
        assertThat(heard).isEqualTo(expected);
    }
}
