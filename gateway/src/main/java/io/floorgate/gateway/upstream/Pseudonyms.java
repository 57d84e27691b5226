package io.floorgate.gateway.upstream;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;

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
        SecretKeySpec key = new SecretKeySpec(hashKey.getBytes(StandardCharsets.UTF_8), HMAC);
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

    /** A shopper as the chain may follow them across visits: by customer reference, else by this session alone. */
    public ByteString shopper(Optional<String> customerRef, String sessionId) {
        return customerRef.map(this::customer).orElseGet(() -> session(sessionId));
    }

    private ByteString hash(String domain, String identifier) {
        // doFinal resets the Mac for the next call on this thread.
        Mac m = mac.get();
        m.update(domain.getBytes(StandardCharsets.UTF_8));
        return ByteString.copyFrom(m.doFinal(identifier.getBytes(StandardCharsets.UTF_8)));
    }
}
