package io.floorgate.gateway.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.net.http.HttpResponse;

import com.google.protobuf.ByteString;
import io.floorgate.gateway.linking.ShopperSession;
import io.vertx.core.json.JsonObject;

/**
 * Checked-in shoppers, the ids their apps advertise and the touch tokens they present, computed here the way the app
 * does (not through the gateway's code).
 */
public final class Shoppers {

    public static final Duration ROTATION = Duration.ofSeconds(60);

    private Shoppers() {
    }

    public static ShopperSession session(String id, boolean locationConsent) {
        return new ShopperSession(id, "app-" + id, Optional.empty(), locationConsent, true,
                ("key-of-" + id).getBytes(StandardCharsets.UTF_8), ROTATION, 0);
    }

    /** A shopper checked in through the app API, with the advertising key and period the gateway handed out. */
    public record CheckedIn(ShopperSession session, String token) {
    }

    public static CheckedIn checkIn(AppClient app, String storeId, boolean locationConsent) {
        return checkIn(app, storeId, locationConsent, Optional.empty());
    }

    /** With the customer reference pickup orders are linked through. */
    public static CheckedIn checkIn(AppClient app, String storeId, boolean locationConsent,
                                    Optional<String> customerRef) {
        return checkIn(app, storeId, locationConsent, true, customerRef);
    }

    public static CheckedIn checkIn(AppClient app, String storeId, boolean locationConsent, boolean analyticsConsent,
                                    Optional<String> customerRef) {
        return checkIn(app, storeId, "app-" + UUID.randomUUID(), locationConsent, analyticsConsent, customerRef);
    }

    /** With the app instance id the app sends, for a test that must know every identifier it used. */
    public static CheckedIn checkIn(AppClient app, String storeId, String appInstanceId, boolean locationConsent,
                                    boolean analyticsConsent, Optional<String> customerRef) {
        JsonObject request = new JsonObject().put("storeId", storeId).put("appInstanceId", appInstanceId)
                .put("consent", new JsonObject().put("location", locationConsent).put("analytics", analyticsConsent));
        customerRef.ifPresent(ref -> request.put("customerRef", ref));
        String body = request.encode();
        HttpResponse<String> response = app.post("/api/v1/sessions", "application/json", body);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("check-in answered " + response.statusCode() + ": " + response.body());
        }
        JsonObject json = new JsonObject(response.body());
        JsonObject advertising = json.getJsonObject("advertising");
        // The customer is the gateway's keyed hash of the reference: its key is the gateway's own, so not computed here.
        ShopperSession session = new ShopperSession(json.getString("sessionId"), appInstanceId, Optional.empty(),
                locationConsent, analyticsConsent, Base64.getDecoder().decode(advertising.getString("key")),
                Duration.ofSeconds(advertising.getLong("rotationPeriodSeconds")), System.currentTimeMillis());
        return new CheckedIn(session, json.getString("token"));
    }

    public static long slotOf(long epochMs) {
        return Math.floorDiv(epochMs, ROTATION.toMillis());
    }

    /** First 16 bytes of HMAC-SHA256(key, slot as 8-byte big-endian). */
    public static ByteString advertisedId(ShopperSession session, long slot) {
        return hmac16(session.advertisingKey(), new byte[0], slot);
    }

    public static ByteString advertisedIdAt(ShopperSession session, long epochMs) {
        return advertisedId(session, Math.floorDiv(epochMs, session.rotationPeriod().toMillis()));
    }

    /** First 16 bytes of HMAC-SHA256(key, ASCII "floorgate-touch-v1" || slot as 8-byte big-endian). */
    public static ByteString touchToken(ShopperSession session, long slot) {
        return hmac16(session.advertisingKey(), TOUCH_LABEL, slot);
    }

    public static ByteString touchTokenAt(ShopperSession session, long epochMs) {
        return touchToken(session, Math.floorDiv(epochMs, session.rotationPeriod().toMillis()));
    }

    private static final byte[] TOUCH_LABEL = "floorgate-touch-v1".getBytes(StandardCharsets.US_ASCII);

    private static ByteString hmac16(byte[] key, byte[] label, long slot) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(label);
            byte[] full = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(slot).array());
            return ByteString.copyFrom(Arrays.copyOf(full, 16));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
