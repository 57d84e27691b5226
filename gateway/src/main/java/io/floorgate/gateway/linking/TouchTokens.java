package io.floorgate.gateway.linking;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.LongSupplier;

import com.google.protobuf.ByteString;

/**
 * Resolves a touch token (what the app presents to an NFC reader over HCE, or shows as the code a kiosk scans) to
 * its session, in one hash lookup.
 *
 * <p>The scheme: the first 16 bytes of HMAC-SHA256(advertising key, ASCII {@value #LABEL_TEXT} || slot as an 8-byte
 * big-endian long), with the key, rotation period and slots of the BLE ids ({@link AdvertisedIdResolver}). The label
 * keeps a token from ever equalling an id the same phone advertises, so what a receiver hears is no touch token.
 * The previous, current and next slot are accepted (clock skew).
 *
 * <p>Unlike BLE ids, every open session has tokens, with or without location consent: a touch is the shopper's
 * deliberate act. What a touch by a shopper without location consent may record is {@link TouchLinker}'s concern.
 *
 * <p>Threads: as {@link RotatingIdTable}; {@link #refresh} runs on a worker with the BLE ids' refresh.
 */
public final class TouchTokens implements SessionListener {

    /** Versioned, so a later scheme can be told apart. */
    public static final String LABEL_TEXT = "floorgate-touch-v1";
    public static final int TOKEN_BYTES = AdvertisedId.BYTES;
    private static final byte[] LABEL = LABEL_TEXT.getBytes(StandardCharsets.US_ASCII);

    private final RotatingIdTable tokens;

    public TouchTokens(LongSupplier clockMs) {
        this.tokens = new RotatingIdTable(LABEL, session -> true, clockMs);
    }

    /** The open session presenting this token now; empty for any other token. */
    public Optional<String> resolve(ByteString token) {
        return AdvertisedId.of(token).flatMap(tokens::resolve);
    }

    @Override
    public void started(ShopperSession session) {
        tokens.started(session);
    }

    @Override
    public void ended(String sessionId) {
        tokens.ended(sessionId);
    }

    /** Rolls every session's tokens at its slot boundary; on a worker. */
    public void refresh() {
        tokens.refresh();
    }

    /** How many tokens are held: three per open session. */
    public int heldTokens() {
        return tokens.heldIds();
    }
}
