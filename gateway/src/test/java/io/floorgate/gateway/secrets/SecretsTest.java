package io.floorgate.gateway.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    private static final String SECRET = "secret-of-nfc-1";

    @Test
    void matches_whenPresentedIsTheSecret_thenTrue() {
        assertThat(Secrets.matches("secret-of-nfc-1", SECRET)).isTrue();
    }

    @Test
    void matches_whenPresentedDiffersInContentOrLengthOrIsAbsent_thenFalse() {
        assertThat(Secrets.matches("secret-of-nfc-2", SECRET)).isFalse();
        assertThat(Secrets.matches("secret-of-nfc-1x", SECRET)).isFalse();
        assertThat(Secrets.matches("secret", SECRET)).isFalse();
        assertThat(Secrets.matches("", SECRET)).isFalse();
        assertThat(Secrets.matches(null, SECRET)).isFalse();
    }

    @Test
    void sha256_whateverTheLengthOfTheText_thenTheDigestIsThirtyTwoBytes() {
        assertThat(Secrets.sha256("")).hasSize(32);
        assertThat(Secrets.sha256("x".repeat(10_000))).hasSize(32);
    }

    @Test
    void matchesDigest_whenPresentedHashesToTheStoredDigest_thenTrue() {
        byte[] stored = Secrets.sha256(SECRET);

        assertThat(Secrets.matchesDigest(stored, SECRET)).isTrue();
        assertThat(Secrets.matchesDigest(stored, SECRET + " ")).isFalse();
        assertThat(Secrets.matchesDigest(stored, null)).isFalse();
    }

    @Test
    void sha256_whenTextIsNotAscii_thenItsUtf8BytesAreHashed() {
        // "é" is two bytes in UTF-8 and one unmappable "?" in US-ASCII: the two must not collide.
        assertThat(Secrets.sha256("é")).isNotEqualTo(Secrets.sha256("?"));
    }
}
