package io.floorgate.gateway.linking;

import static io.floorgate.gateway.testing.Shoppers.ROTATION;
import static io.floorgate.gateway.testing.Shoppers.advertisedId;
import static io.floorgate.gateway.testing.Shoppers.session;
import static io.floorgate.gateway.testing.Shoppers.slotOf;
import static io.floorgate.gateway.testing.Shoppers.touchToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class TouchTokensTest {

    /** Key 0x00..0x1f, slot 30,000,000 (60 s period): the vector in docs/shoppers.md, computed with Python's hmac module. */
    private static final byte[] VECTOR_KEY = HexFormat.of()
            .parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long VECTOR_SLOT = 30_000_000L;
    private static final ByteString VECTOR_TOKEN = ByteString.copyFrom(HexFormat.of()
            .parseHex("78490b8d23a1fc84ee9446e151a398d8"));
    /** HMAC-SHA256(key, slot)[0..16] for the same key and slot: the BLE id the phone advertises meanwhile. */
    private static final ByteString VECTOR_BLE_ID = ByteString.copyFrom(HexFormat.of()
            .parseHex("4e2d5652f1c3c115b39a87bfb8289854"));

    private final AtomicLong clock = new AtomicLong(VECTOR_SLOT * ROTATION.toMillis() + 30_000);
    private final TouchTokens tokens = new TouchTokens(clock::get);

    @Test
    void resolve_whenAppPresentsTheKnownVector_thenFindsTheSession() {
        tokens.started(vectorSession("anna", true));

        assertThat(tokens.resolve(VECTOR_TOKEN)).contains("anna");
    }

    @Test
    void resolve_whenTheBleIdOfTheSameSlotIsPresented_thenFindsNothing() {
        ShopperSession anna = vectorSession("anna", true);
        tokens.started(anna);

        assertThat(advertisedId(anna, VECTOR_SLOT)).as("the test's own derivation").isEqualTo(VECTOR_BLE_ID);
        assertThat(tokens.resolve(VECTOR_BLE_ID)).isEmpty();
    }

    @Test
    void resolve_whenTokenIsOfThePreviousOrNextSlot_thenFindsTheSession_andTwoSlotsOffFindsNothing() {
        ShopperSession anna = session("anna", true);
        tokens.started(anna);
        long slot = slotOf(clock.get());

        for (long s = slot - 1; s <= slot + 1; s++) {
            assertThat(tokens.resolve(touchToken(anna, s))).as("slot %+d", s - slot).contains("anna");
        }
        assertThat(tokens.resolve(touchToken(anna, slot - 2))).isEmpty();
        assertThat(tokens.resolve(touchToken(anna, slot + 2))).isEmpty();
    }

    @Test
    void refresh_whenASlotBoundaryPasses_thenTheTokenOfTheSlotBeforeStillResolves_andTheOneBeforeThatNoLonger() {
        ShopperSession anna = session("anna", true);
        tokens.started(anna);
        long slot = slotOf(clock.get());

        clock.addAndGet(ROTATION.toMillis());
        tokens.refresh();

        assertThat(tokens.resolve(touchToken(anna, slot))).contains("anna");
        assertThat(tokens.resolve(touchToken(anna, slot + 2))).contains("anna");
        assertThat(tokens.resolve(touchToken(anna, slot - 1))).isEmpty();
        assertThat(tokens.heldTokens()).isEqualTo(3);
    }

    @Test
    void started_whenSessionHasNoLocationConsent_thenItsTokensResolveAnyway() {
        ShopperSession bob = session("bob", false);
        tokens.started(bob);

        assertThat(tokens.resolve(touchToken(bob, slotOf(clock.get())))).contains("bob");
    }

    @Test
    void ended_whenSessionChecksOut_thenNoTokenOfItIsHeld() {
        ShopperSession anna = session("anna", true);
        tokens.started(anna);

        tokens.ended("anna");

        assertThat(tokens.resolve(touchToken(anna, slotOf(clock.get())))).isEmpty();
        assertThat(tokens.heldTokens()).isZero();
    }

    @Test
    void resolve_whenTokenIsNotSixteenBytes_thenFindsNothing() {
        tokens.started(vectorSession("anna", true));

        assertThat(tokens.resolve(VECTOR_TOKEN.substring(0, 15))).isEmpty();
        assertThat(tokens.resolve(VECTOR_TOKEN.concat(ByteString.copyFrom(new byte[1])))).isEmpty();
    }

    private static ShopperSession vectorSession(String id, boolean locationConsent) {
        return new ShopperSession(id, "app-" + id, Optional.empty(), locationConsent, true, VECTOR_KEY, ROTATION, 0);
    }
}
