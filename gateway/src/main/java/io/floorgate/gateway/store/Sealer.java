package io.floorgate.gateway.store;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals single column values with AES-256-GCM under a key derived from the database key, so that a secret stays a
 * secret wherever rows travel in clear (a SQL export, the H2 console, a query result in a log), not only in the
 * encrypted file. Without a database key (a gateway run with {@code --unencrypted}) values are stored in clear.
 *
 * <p>Stored form, one format byte first: {@value #CLEAR} then the value; or {@value #SEALED} then the seal key's id
 * ({@value #KEY_ID_BYTES} bytes), a random 12-byte nonce and the ciphertext with its 16-byte tag. The associated data
 * binds the value to its column and row. A value sealed under another key is refused by name (a key rotation that did
 * not finish), never decrypted into garbage.
 *
 * <p>Thread-safe: a cipher per call.
 */
public final class Sealer {

    static final int KEY_ID_BYTES = 4;
    static final byte CLEAR = 0;
    static final byte SEALED = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES;

    /** Stores in clear: the gateway runs without a database key. */
    public static final Sealer NONE = new Sealer(null, null);

    private final SecretKeySpec key;
    private final byte[] keyId;
    private final SecureRandom random = new SecureRandom();

    private Sealer(SecretKeySpec key, byte[] keyId) {
        this.key = key;
        this.keyId = keyId;
    }

    public static Sealer of(Optional<DatabaseKey> databaseKey) {
        return databaseKey.map(k -> new Sealer(k.sealKey(), k.sealKeyId())).orElse(NONE);
    }

    public byte[] seal(SealedColumn column, String rowId, byte[] value) {
        if (key == null) {
            return ByteBuffer.allocate(1 + value.length).put(CLEAR).put(value).array();
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, column, rowId, nonce, value);
        return ByteBuffer.allocate(HEADER_BYTES + sealed.length).put(SEALED).put(keyId).put(nonce).put(sealed).array();
    }

    /** @throws IllegalStateException when the value was sealed under another key, or is not what it was sealed as */
    public byte[] unseal(SealedColumn column, String rowId, byte[] stored) {
        if (stored.length == 0) {
            throw new IllegalStateException(column + " of " + rowId + " is empty");
        }
        if (stored[0] == CLEAR) {
            if (key != null) {
                throw new IllegalStateException(column.table() + "." + column.column() + " of " + rowId
                        + " is stored in clear in an encrypted database: it was encrypted by hand, not by"
                        + " floorgate-gateway rotate-key --from-unencrypted, which seals it");
            }
            return Arrays.copyOfRange(stored, 1, stored.length);
        }
        if (key == null) {
            throw new IllegalStateException(column.table() + "." + column.column() + " of " + rowId
                    + " is sealed, but the gateway runs without a database key");
        }
        if (stored[0] != SEALED || stored.length < HEADER_BYTES
                || !Arrays.equals(stored, 1, 1 + KEY_ID_BYTES, keyId, 0, KEY_ID_BYTES)) {
            throw new IllegalStateException(column.table() + "." + column.column() + " of " + rowId
                    + " is sealed under another key: a key rotation did not finish");
        }
        byte[] nonce = Arrays.copyOfRange(stored, 1 + KEY_ID_BYTES, HEADER_BYTES);
        return crypt(Cipher.DECRYPT_MODE, column, rowId, nonce, Arrays.copyOfRange(stored, HEADER_BYTES, stored.length));
    }

    private byte[] crypt(int mode, SealedColumn column, String rowId, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(column.associatedData(rowId));
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException(column.table() + "." + column.column() + " of " + rowId
                    + " does not unseal: altered, or moved from another row", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }
}
