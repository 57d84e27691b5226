package io.floorgate.gateway.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret the database is encrypted with at rest, given from outside the data directory (see {@link KeySource}).
 * Two keys are derived from it, one per use, so that neither reveals the other or the secret: the H2 file password
 * ({@code CIPHER=AES}) and the key that seals single columns ({@link Sealer}). Each is HMAC-SHA256(secret, label), a
 * one-block HKDF-Expand with a fixed info string: the secret is already uniformly random (a generated key) or at
 * least {@value #MIN_LENGTH} characters an operator chose.
 *
 * <p>Never printed: {@link #toString} names where it came from, not what it is.
 */
public final class DatabaseKey {

    /** 32 bytes in base64 are 44 characters, in hex 64: a generated key always passes, a short password never. */
    public static final int MIN_LENGTH = 32;
    private static final String FILE_LABEL = "floorgate-h2-file-v1";
    private static final String SEAL_LABEL = "floorgate-seal-v1";
    private static final String SEAL_ID_LABEL = "floorgate-seal-id-v1";

    private final byte[] secret;
    private final String source;

    private DatabaseKey(byte[] secret, String source) {
        this.secret = secret;
        this.source = source;
    }

    /**
     * A key as an operator wrote it: the text without surrounding white space (a key file's final newline).
     *
     * @param source where it came from, for messages ("FLOORGATE_DB_KEY", a file's path)
     * @throws KeyRefused when it is too short to be a key
     */
    public static DatabaseKey of(String text, String source) throws KeyRefused {
        String key = text.strip();
        if (key.length() < MIN_LENGTH) {
            throw new KeyRefused("the database key from " + source + " has " + key.length() + " characters; a key has"
                    + " at least " + MIN_LENGTH + " (make one with: floorgate-gateway new-key --out FILE)");
        }
        return new DatabaseKey(key.getBytes(StandardCharsets.UTF_8), source);
    }

    /** Where the key came from, for messages. */
    public String source() {
        return source;
    }

    /**
     * H2's file password: hex, so it never holds the space H2 splits "file password, user password" at
     * (its {@code ChangeFileEncryption} refuses one that does).
     */
    char[] filePassword() {
        return HexFormat.of().formatHex(derive(FILE_LABEL)).toCharArray();
    }

    SecretKeySpec sealKey() {
        return new SecretKeySpec(derive(SEAL_LABEL), "AES");
    }

    /** Names the seal key in every sealed value, so that a value sealed under another key is told apart. */
    byte[] sealKeyId() {
        return Arrays.copyOf(derive(SEAL_ID_LABEL), Sealer.KEY_ID_BYTES);
    }

    private byte[] derive(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "DatabaseKey[from " + source + "]";
    }
}
