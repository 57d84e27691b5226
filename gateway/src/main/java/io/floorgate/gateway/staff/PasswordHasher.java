package io.floorgate.gateway.staff;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import io.floorgate.config.PasswordHash;

/**
 * PBKDF2-HMAC-SHA256 from the JDK, in the store file's {@link PasswordHash} format.
 *
 * <p>Blocking: one hash or one check takes about 0.3 s of one core at {@link #ITERATIONS} (more under load). Never
 * call it on an event loop; {@link StaffLogin} runs it on its own small worker pool.
 *
 * <p>Passwords are normalized to Unicode NFC before hashing, so that an "é" typed on a tablet and one typed on a
 * desktop (one code point or two) are the same password.
 */
public final class PasswordHasher {

    /** The least the store file accepts is what new hashes get: OWASP's current figure. */
    public static final int ITERATIONS = PasswordHash.MIN_ITERATIONS;
    public static final int SALT_BYTES = 16;
    /** NIST SP 800-63B's least for a password a person chooses. */
    public static final int MIN_PASSWORD_LENGTH = 8;
    /** Far longer than any password typed on a tablet; HMAC hashes a longer one first, so it costs nothing extra. */
    public static final int MAX_PASSWORD_LENGTH = 1024;
    private static final String KDF = "PBKDF2WithHmacSHA256";

    private final SecureRandom random;

    public PasswordHasher(SecureRandom random) {
        this.random = random;
    }

    /** A new hash of the password with a fresh random salt. Blocking. */
    public PasswordHash hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(ITERATIONS, salt, derive(password, salt, ITERATIONS));
    }

    /** Whether the password is the one hashed, in time that does not depend on how much of it matches. Blocking. */
    public static boolean matches(PasswordHash stored, String password) {
        return MessageDigest.isEqual(stored.hash(), derive(password, stored.salt(), stored.iterations()));
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(Normalizer.normalize(password, Normalizer.Form.NFC).toCharArray(), salt,
                iterations, PasswordHash.HASH_BYTES * Byte.SIZE);
        try {
            return SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 runtime has " + KDF, e);
        } finally {
            spec.clearPassword();
        }
    }
}
