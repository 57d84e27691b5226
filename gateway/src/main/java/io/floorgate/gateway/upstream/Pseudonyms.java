package io.floorgate.gateway.upstream;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.protobuf.ByteString;

/**
 * The keyed hashes that stand for shopper identifiers upstream (DESIGN, "Gateway -> upstream"; upstream.proto):
 * HMAC-SHA-256 with the store's {@code upstream.hashKey} over a domain prefix and the identifier, so that a customer
 * reference and an order id that happen to be equal still hash apart, and nobody without the store's key can test a
 * guessed identifier against what was sent.
 *
 * <p>Threads: any; each thread keeps its own {@link Mac}, keyed once.
 */
public final class Pseudonyms {

    private static final String HMAC = "HmacSHA256";

    private final ThreadLocal<Mac> mac;

    /** @param hashKey the store's key, validated at load (at least 16 characters); its UTF-8 bytes key the HMAC */
    public Pseudonyms(String hashKey) {
        this(hashKey.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Keyed with raw bytes: the gateway's own local key (privacy/CustomerKeys), which hashes customer references at
     * rest the same way but apart from what the chain sees.
     */
    public Pseudonyms(byte[] keyBytes) {
        SecretKeySpec key = new SecretKeySpec(keyBytes, HMAC);
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance(HMAC);
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every Java runtime has " + HMAC, e);
            }
        });
    }

    public ByteString customer(String customerRef) {
        return hash("customer:", customerRef);
    }

    public ByteString session(String sessionId) {
        return hash("session:", sessionId);
    }

    public ByteString order(String orderId) {
        return hash("order:", orderId);
    }

    private ByteString hash(String domain, String identifier) {
        // doFinal resets the Mac for the next call on this thread.
        Mac m = mac.get();
        m.update(domain.getBytes(StandardCharsets.UTF_8));
        return ByteString.copyFrom(m.doFinal(identifier.getBytes(StandardCharsets.UTF_8)));
    }
}
