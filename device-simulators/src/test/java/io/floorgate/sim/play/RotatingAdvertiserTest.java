package io.floorgate.sim.play;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RotatingAdvertiserTest {

    private static final Duration PERIOD = RotatingAdvertiser.ROTATION_PERIOD;
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void idAt_whenWithinOneSlot_thenSameIdAndWhenNextSlot_thenDifferent() {
        RotatingAdvertiser advertiser = new RotatingAdvertiser(key(new SplittableRandom(1)), PERIOD);
        long slotStart = RotatingAdvertiser.slotOf(T0, PERIOD) * PERIOD.toMillis();
        assertThat(advertiser.idAt(slotStart)).isEqualTo(advertiser.idAt(slotStart + PERIOD.toMillis() - 1));
        assertThat(advertiser.idAt(slotStart)).isNotEqualTo(advertiser.idAt(slotStart + PERIOD.toMillis()));
        assertThat(advertiser.idAt(slotStart)).hasSize(RotatingAdvertiser.ID_BYTES);
    }

    @Test
    void idAt_whenManyShoppersOverManySlots_thenNoIdEverRepeats() {
        SplittableRandom rng = new SplittableRandom(2);
        Set<String> seen = new HashSet<>();
        int shoppers = 200;
        int slots = 120;
        for (int s = 0; s < shoppers; s++) {
            RotatingAdvertiser advertiser = new RotatingAdvertiser(key(rng), PERIOD);
            for (int slot = 0; slot < slots; slot++) {
                seen.add(HexFormat.of().formatHex(advertiser.idAt(T0 + slot * PERIOD.toMillis())));
            }
        }
        assertThat(seen).hasSize(shoppers * slots);
    }

    private static byte[] key(SplittableRandom rng) {
        byte[] key = new byte[32];
        rng.nextBytes(key);
        return key;
    }
}
