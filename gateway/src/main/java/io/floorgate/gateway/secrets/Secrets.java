package io.floorgate.gateway.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The one way the gateway compares a presented secret (a device's MQTT password, a shopper's bearer token, the order
 * system's token, a staff CSRF token) with the expected one: both are hashed with SHA-256 and the fixed-length
 * digests compared in constant time, so neither the content nor the length of the expected secret leaks through
 * response timing. Comparing the raw bytes with {@link MessageDigest#isEqual} would return at once on a length
 * mismatch, telling a prober how long the secret is.
 */
public final class Secrets {

    private Secrets() {
    }

    /** SHA-256 of the text's UTF-8 bytes: what is kept of a secret that only needs to be matched. */
    public static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of the parts, one after the other. */
    public static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                sha.update(part);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether {@code presented} (null: nothing presented) is {@code expected}, in time independent of both. */
    public static boolean matches(String presented, String expected) {
        return presented != null && matchesDigest(sha256(expected), presented);
    }

    /** Whether {@code presented} (null: nothing presented) hashes to {@code expectedDigest}, in constant time. */
    public static boolean matchesDigest(byte[] expectedDigest, String presented) {
        return presented != null && MessageDigest.isEqual(expectedDigest, sha256(presented));
    }
}
