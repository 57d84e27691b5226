package io.floorgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SealerTest {

    private static final byte[] VALUE = "thirty-two bytes of advertising!".getBytes(StandardCharsets.US_ASCII);
    private static final SealedColumn COLUMN = SealedColumn.ADVERTISING_KEY;

    private final Sealer sealer = Sealer.of(Optional.of(key("one-test-key-of-at-least-thirty-two-characters")));

    @Test
    void unseal_whenSealedForTheSameRow_thenGivesTheValueBack() {
        byte[] sealed = sealer.seal(COLUMN, "s-1", VALUE);

        assertThat(sealed[0]).isEqualTo(Sealer.SEALED);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("advertising");
        assertThat(sealer.unseal(COLUMN, "s-1", sealed)).isEqualTo(VALUE);
    }

    @Test
    void seal_twice_thenTheSealsDiffer() {
        assertThat(sealer.seal(COLUMN, "s-1", VALUE)).isNotEqualTo(sealer.seal(COLUMN, "s-1", VALUE));
    }

    @Test
    void unseal_whenMovedToAnotherRow_thenIsRefused() {
        byte[] sealed = sealer.seal(COLUMN, "s-1", VALUE);

        assertThatThrownBy(() -> sealer.unseal(COLUMN, "s-2", sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("moved from another row");
    }

    @Test
    void unseal_whenAltered_thenIsRefused() {
        byte[] sealed = sealer.seal(COLUMN, "s-1", VALUE);
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> sealer.unseal(COLUMN, "s-1", sealed)).hasMessageContaining("altered");
    }

    @Test
    void unseal_whenSealedUnderAnotherKey_thenSaysARotationDidNotFinish() {
        byte[] sealed = Sealer.of(Optional.of(key("another-test-key-of-at-least-thirty-two-chars")))
                .seal(COLUMN, "s-1", VALUE);

        assertThatThrownBy(() -> sealer.unseal(COLUMN, "s-1", sealed))
                .hasMessageContaining("sealed under another key: a key rotation did not finish");
    }

    @Test
    void withoutKey_thenStoresInClearAfterTheFormatByte_andRefusesASealedValue() {
        byte[] clear = Sealer.NONE.seal(COLUMN, "s-1", VALUE);

        assertThat(clear[0]).isEqualTo(Sealer.CLEAR);
        assertThat(Sealer.NONE.unseal(COLUMN, "s-1", clear)).isEqualTo(VALUE);
        assertThatThrownBy(() -> Sealer.NONE.unseal(COLUMN, "s-1", sealer.seal(COLUMN, "s-1", VALUE)))
                .hasMessageContaining("runs without a database key");
        assertThatThrownBy(() -> sealer.unseal(COLUMN, "s-1", clear)).hasMessageContaining("stored in clear");
    }

    @Test
    void databaseKey_whenShorterThanAKey_thenIsRefusedSayingHowToMakeOne() {
        assertThatThrownBy(() -> DatabaseKey.of("  short-password\n", "the test")).isInstanceOf(KeyRefused.class)
                .hasMessageContaining("from the test has 14 characters", "new-key --out FILE");
    }

    private static DatabaseKey key(String text) {
        try {
            return DatabaseKey.of(text, "the test");
        } catch (KeyRefused e) {
            throw new IllegalStateException(e);
        }
    }
}
