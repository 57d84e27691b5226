package io.floorgate.config;

import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A staff password as stored in the store file: PBKDF2-HMAC-SHA256 with its salt and iteration count, written
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} with salt and hash in standard Base64 without padding (RFC 4648
 * section 4). {@code floorgate-gateway hash-password} makes one; the gateway's staff login checks a password against
 * it. Only the format is known here: this module computes no hashes.
 *
 * @param iterations PBKDF2 iterations, {@value #MIN_ITERATIONS} .. {@value #MAX_ITERATIONS}
 * @param salt       {@value #MIN_SALT_BYTES} .. {@value #MAX_SALT_BYTES} random bytes
 * @param hash       the {@value #HASH_BYTES}-byte derived key
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    public static final String ALGORITHM = "pbkdf2-sha256";
    /**
     * OWASP Password Storage Cheat Sheet (2023 and since) for PBKDF2-HMAC-SHA256. Fewer is refused, not warned about:
     * a weak hash in a store file is as good as the password in it.
     */
    public static final int MIN_ITERATIONS = 600_000;
    /** About 10 s per login on a small edge machine: more is a typo, and would let a login flood stall the gateway. */
    public static final int MAX_ITERATIONS = 10_000_000;
    /** NIST SP 800-132 asks for at least 128 bits of salt. */
    public static final int MIN_SALT_BYTES = 16;
    public static final int MAX_SALT_BYTES = 64;
    /** The output of one HMAC-SHA256 block: a longer key costs the defender more blocks and the attacker no more. */
    public static final int HASH_BYTES = 32;
    /** How the format is described in messages. */
    public static final String FORMAT = ALGORITHM + "$<iterations>$<salt, Base64>$<hash, Base64>";

    private static final Pattern SHAPE = Pattern.compile(
            Pattern.quote(ALGORITHM) + "\\$([0-9]{1,10})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    public PasswordHash {
        salt = salt.clone();
        hash = hash.clone();
    }

    /**
     * Reads a hash line as {@link #encoded()} writes it.
     *
     * @throws IllegalArgumentException with a message that says what is wrong and never repeats the text
     */
    public static PasswordHash parse(String text) {
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a password hash of the form " + FORMAT
                    + "; make one with: floorgate-gateway hash-password");
        }
        long iterations = Long.parseLong(m.group(1));
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("has " + iterations + " PBKDF2 iterations; at least " + MIN_ITERATIONS
                    + " are required (OWASP's figure for PBKDF2-HMAC-SHA256): hash the password again with "
                    + "floorgate-gateway hash-password");
        }
        if (iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("has " + iterations + " PBKDF2 iterations; at most " + MAX_ITERATIONS
                    + ", or every login would take many seconds");
        }
        byte[] salt = base64(m.group(2), "salt");
        if (salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES) {
            throw new IllegalArgumentException("has a salt of " + salt.length + " bytes; it must have "
                    + MIN_SALT_BYTES + " to " + MAX_SALT_BYTES);
        }
        byte[] hash = base64(m.group(3), "hash");
        if (hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("has a hash of " + hash.length + " bytes; it must have " + HASH_BYTES);
        }
        return new PasswordHash((int) iterations, salt, hash);
    }

    private static byte[] base64(String text, String part) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("has a " + part + " that is not Base64: " + e.getMessage());
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** The line to write in the store file. */
    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return ALGORITHM + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** By content: two hashes of the same password with the same salt and count are the same hash. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash other && iterations == other.iterations
                && Arrays.equals(salt, other.salt) && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * iterations + Arrays.hashCode(salt)) + Arrays.hashCode(hash);
    }

    /** The iteration count only: a hash in a log is a hash an attacker can try passwords against offline. */
    @Override
    public String toString() {
        return "PasswordHash[" + ALGORITHM + ", iterations=" + iterations + "]";
    }
}
