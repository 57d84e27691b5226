package io.floorgate.gateway.linking;

import static io.floorgate.gateway.testing.Shoppers.ROTATION;
import static io.floorgate.gateway.testing.Shoppers.advertisedId;
import static io.floorgate.gateway.testing.Shoppers.session;
import static io.floorgate.gateway.testing.Shoppers.slotOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class AdvertisedIdResolverTest {

    /** Ten seconds before a slot boundary. */
    private static final long NOW = 1_800_000_000_000L - 1_800_000_000_000L % ROTATION.toMillis() + 50_000;

    private final AtomicLong clock = new AtomicLong(NOW);
    private final InMemorySessionDirectory directory = new InMemorySessionDirectory();
    private final AdvertisedIdResolver resolver = new AdvertisedIdResolver(clock::get);

    @Test
    void resolve_whenPhoneAdvertisesPreviousCurrentOrNextSlot_thenFindsTheSession() {
        resolver.attach(directory);
        ShopperSession anna = session("anna", true);
        directory.start(anna);
        long slot = slotOf(NOW);

        for (long s = slot - 1; s <= slot + 1; s++) {
            assertThat(resolver.resolve(advertisedId(anna, s))).as("slot %d", s).contains("anna");
        }
        assertThat(resolver.resolve(advertisedId(anna, slot + 2))).isEmpty();
        assertThat(resolver.resolve(advertisedId(anna, slot - 2))).isEmpty();
    }

    @Test
    void refresh_whenSlotBoundaryPasses_thenNextSlotIsAddedAndTheOldestForgotten() {
        resolver.attach(directory);
        ShopperSession anna = session("anna", true);
        directory.start(anna);
        long slot = slotOf(NOW);

        clock.addAndGet(ROTATION.toMillis());
        assertThat(resolver.resolve(advertisedId(anna, slot + 1))).as("next slot held before the boundary")
                .contains("anna");
        resolver.refresh();

        assertThat(resolver.resolve(advertisedId(anna, slot))).as("previous").contains("anna");
        assertThat(resolver.resolve(advertisedId(anna, slot + 1))).as("current").contains("anna");
        assertThat(resolver.resolve(advertisedId(anna, slot + 2))).as("next").contains("anna");
        assertThat(resolver.resolve(advertisedId(anna, slot - 1))).as("two slots ago").isEmpty();
        assertThat(resolver.heldIds()).isEqualTo(3);
    }

    @Test
    void refresh_whenSeveralSlotsWereMissed_thenTheWindowIsRebuiltAroundNow() {
        resolver.attach(directory);
        ShopperSession anna = session("anna", true);
        directory.start(anna);

        clock.addAndGet(10 * ROTATION.toMillis());
        resolver.refresh();

        assertThat(resolver.resolve(advertisedId(anna, slotOf(clock.get())))).contains("anna");
        assertThat(resolver.heldIds()).isEqualTo(3);
    }

    @Test
    void resolve_whenSessionEnded_thenFindsNothing() {
        resolver.attach(directory);
        ShopperSession anna = session("anna", true);
        directory.start(anna);

        directory.end("anna");

        assertThat(resolver.resolve(advertisedId(anna, slotOf(NOW)))).isEmpty();
        assertThat(resolver.isLinked("anna")).isFalse();
        assertThat(resolver.heldIds()).isZero();
    }

    @Test
    void started_whenSessionHasNoLocationConsent_thenNoIdOfItIsEverHeld() {
        resolver.attach(directory);
        ShopperSession bob = session("bob", false);
        directory.start(bob);
        clock.addAndGet(ROTATION.toMillis());
        resolver.refresh();

        assertThat(resolver.heldIds()).isZero();
        assertThat(resolver.isLinked("bob")).isFalse();
        assertThat(resolver.resolve(advertisedId(bob, slotOf(clock.get())))).isEmpty();
    }

    @Test
    void attach_whenSessionsAreAlreadyActive_thenTheyResolve() {
        ShopperSession anna = session("anna", true);
        directory.start(anna);

        resolver.attach(directory);

        assertThat(resolver.resolve(advertisedId(anna, slotOf(NOW)))).contains("anna");
    }

    @Test
    void resolve_whenIdIsNotSixteenBytes_thenFindsNothing() {
        resolver.attach(directory);
        directory.start(session("anna", true));

        assertThat(resolver.resolve(ByteString.copyFrom(new byte[8]))).isEmpty();
        assertThat(resolver.resolve(ByteString.copyFrom(new byte[32]))).isEmpty();
    }

    /** Correctness at scale only; the lookup is one hash-map get, the benchmark script measures its speed. */
    @Test
    void resolve_withFiveThousandSessions_thenEveryHeardIdFindsItsOwnSessionAcrossABoundary() {
        resolver.attach(directory);
        List<ShopperSession> shoppers = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            ShopperSession s = session("s-" + i, i % 10 != 0);
            shoppers.add(s);
            directory.start(s);
        }
        clock.addAndGet(ROTATION.toMillis());
        resolver.refresh();
        long slot = slotOf(clock.get());

        assertThat(resolver.heldIds()).isEqualTo(4_500 * 3);
        for (ShopperSession s : shoppers) {
            for (long skew = -1; skew <= 1; skew++) {
                assertThat(resolver.resolve(advertisedId(s, slot + skew)))
                        .as("%s slot %+d", s.id(), skew)
                        .isEqualTo(s.locationConsent() ? Optional.of(s.id()) : Optional.empty());
            }
        }
    }
}
