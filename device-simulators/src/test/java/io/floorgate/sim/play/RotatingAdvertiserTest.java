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

    /** Key 0x00..0x1f, slot 30,000,000: the values computed with Python's hmac module (as in the gateway's test). */
    @Test
    void touchTokenAt_whenKeyAndSlotAreTheKnownVector_thenIsTheTokenTheGatewayExpects_andNotTheAdvertisedId() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        RotatingAdvertiser app = new RotatingAdvertiser(key, PERIOD);
        long inSlot = 30_000_000L * PERIOD.toMillis() + 1;

        assertThat(HexFormat.of().formatHex(app.touchTokenAt(inSlot))).isEqualTo("78490b8d23a1fc84ee9446e151a398d8");
        assertThat(HexFormat.of().formatHex(app.idAt(inSlot))).isEqualTo("4e2d5652f1c3c115b39a87bfb8289854");
    }

    private static byte[] key(SplittableRandom rng) {
        byte[] key = new byte[32];
        rng.nextBytes(key);
        return key;
    }
}
