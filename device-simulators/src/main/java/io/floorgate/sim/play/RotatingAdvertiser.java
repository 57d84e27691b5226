package io.floorgate.sim.play;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A shopper app's BLE advertising identity: the advertised id is HMAC-SHA256(session key, time slot)
 * truncated to 16 bytes, so a passer-by cannot follow a phone from one slot to the next while the
 * gateway, which knows the key, can resolve every id back to the session (DESIGN: "never a stable id").
 * From the same key and slots comes the touch token the app presents to an NFC reader or shows a
 * kiosk: HMAC-SHA256(key, "floorgate-touch-v1" || slot) truncated to 16 bytes.
 */
public final class RotatingAdvertiser {

    public static final Duration ROTATION_PERIOD = Duration.ofSeconds(60);
    public static final int ID_BYTES = 16;
    private static final String HMAC = "HmacSHA256";
    /** Hashed before the slot, so a touch token is never an id the phone advertises. */
    private static final byte[] TOUCH_LABEL = "floorgate-touch-v1".getBytes(StandardCharsets.US_ASCII);

    private final Mac mac;
    private final long periodMs;
    private long cachedSlot = Long.MIN_VALUE;
    private byte[] cachedId;

    public RotatingAdvertiser(byte[] sessionKey, Duration rotationPeriod) {
        try {
            mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(sessionKey, HMAC));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
        periodMs = rotationPeriod.toMillis();
    }

    public static long slotOf(long epochMs, Duration rotationPeriod) {
        return Math.floorDiv(epochMs, rotationPeriod.toMillis());
    }

    /** The id advertised at this moment; computed once per slot because a phone advertises four times a second. */
    public byte[] idAt(long epochMs) {
        long slot = Math.floorDiv(epochMs, periodMs);
        if (slot != cachedSlot) {
            cachedId = idForSlot(slot);
            cachedSlot = slot;
        }
        return cachedId;
    }

    public byte[] idForSlot(long slot) {
        byte[] full = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(slot).array());
        return Arrays.copyOf(full, ID_BYTES);
    }

    /** The touch token at this moment: computed when the shopper taps or scans, a few times a visit. */
    public byte[] touchTokenAt(long epochMs) {
        mac.update(TOUCH_LABEL);
        return idForSlot(Math.floorDiv(epochMs, periodMs));
    }
}
