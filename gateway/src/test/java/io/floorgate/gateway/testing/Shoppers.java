package io.floorgate.gateway.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.protobuf.ByteString;
import io.floorgate.gateway.linking.ShopperSession;

/** Checked-in shoppers and the ids their apps advertise, computed here the way the app does (not through the gateway's code). */
public final class Shoppers {

    public static final Duration ROTATION = Duration.ofSeconds(60);

    private Shoppers() {
    }

    public static ShopperSession session(String id, boolean locationConsent) {
        return new ShopperSession(id, "app-" + id, Optional.empty(), locationConsent, true,
                ("key-of-" + id).getBytes(StandardCharsets.UTF_8), ROTATION, 0);
    }

    public static long slotOf(long epochMs) {
        return Math.floorDiv(epochMs, ROTATION.toMillis());
    }

    /** First 16 bytes of HMAC-SHA256(key, slot as 8-byte big-endian). */
    public static ByteString advertisedId(ShopperSession session, long slot) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(session.advertisingKey(), "HmacSHA256"));
            byte[] full = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(slot).array());
            return ByteString.copyFrom(Arrays.copyOf(full, 16));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static ByteString advertisedIdAt(ShopperSession session, long epochMs) {
        return advertisedId(session, slotOf(epochMs));
    }
}
