package io.floorgate.sim.play;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.floorgate.config.StoreConfig;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.proto.v1.Sighting;
import io.floorgate.sim.store.SyntheticStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ShopperCheckInTest {

    private static final StoreConfig STORE = SyntheticStore.demoLike(3).build();
    private static final long START = 1_700_000_000_000L;
    private static final long TEN_SECONDS_OF_TICKS = 10_000 / StoreSimulation.TICK_MS;

    /** Records what the simulation asks of the app API instead of calling it. */
    private static final class RecordingApp implements ShopperApp {
        final Map<String, Boolean> entered = new java.util.LinkedHashMap<>();
        final List<String> left = new ArrayList<>();
        final Map<String, String> collecting = new java.util.LinkedHashMap<>();
        final Map<String, Long> reachedPickup = new java.util.LinkedHashMap<>();

        @Override
        public void collecting(String shopperId, String orderCode, String pickupPointId) {
            assertThat(entered).doesNotContainKey(shopperId);
            collecting.put(shopperId, pickupPointId);
        }

        @Override
        public void reachedPickup(String shopperId, long epochMs) {
            assertThat(reachedPickup).doesNotContainKey(shopperId);
            reachedPickup.put(shopperId, epochMs);
        }

        @Override
        public void entered(String shopperId, boolean locationConsent) {
            entered.put(shopperId, locationConsent);
        }

        @Override
        public void left(String shopperId) {
            left.add(shopperId);
        }
    }

    @Test
    void tick_whenShopperHasNoKeyYet_thenItsPhoneIsSilent() throws Exception {
        RecordingApp app = new RecordingApp();
        StoreSimulation sim = simulation(app, 1);

        Set<ByteString> heard = heardIds(sim, TEN_SECONDS_OF_TICKS);

        assertThat(app.entered).isNotEmpty();
        assertThat(heard).isEmpty();
    }

    @Test
    void tick_whenNoShopperEverGetsAKey_thenNoSessionTapOrKioskScanIsSent() throws Exception {
        StoreSimulation sim = new StoreSimulation(STORE, 42, 20, START, PathLossModel.SHOP_FLOOR, row -> { },
                new Phones(Optional.of(new RecordingApp()), 1, Optional.of(() -> ID_CLOCK_MS), 1));

        Touches touches = touches(sim, TWENTY_MINUTES_OF_TICKS, s -> { });

        assertThat(touches.tokens).isEmpty();
        assertThat(touches.orderCodeTaps).as("the shoppers did reach devices").isPositive();
    }

    @Test
    void tick_whenTheGatewayIssuedKeys_thenSessionTapsAndKioskScansPresentTheTouchTokensOfThoseKeys()
            throws Exception {
        Duration period = Duration.ofSeconds(30);
        Set<ByteString> expected = new HashSet<>();
        Set<ByteString> advertised = new HashSet<>();
        StoreSimulation sim = new StoreSimulation(STORE, 42, 20, START, PathLossModel.SHOP_FLOOR, row -> { },
                new Phones(Optional.of(new RecordingApp()), 1, Optional.of(() -> ID_CLOCK_MS), 1));

        Touches touches = touches(sim, TWENTY_MINUTES_OF_TICKS, shopper -> {
            byte[] key = new byte[32];
            key[0] = (byte) expected.size();
            key[1] = (byte) (expected.size() >> 8);
            RotatingAdvertiser app = new RotatingAdvertiser(key, period);
            expected.add(ByteString.copyFrom(app.touchTokenAt(ID_CLOCK_MS)));
            advertised.add(ByteString.copyFrom(app.idAt(ID_CLOCK_MS)));
            sim.issue(new IssuedKey(shopper, key, period));
        });

        assertThat(touches.tokens).isNotEmpty();
        assertThat(touches.scans).as("some kiosk visits begin with a scan").isPositive();
        assertThat(touches.tokens).allSatisfy(token -> assertThat(expected).contains(token))
                .allSatisfy(token -> assertThat(advertised).doesNotContain(token));
    }

    @Test
    void tick_whenTheGatewayIssuedAKey_thenReceiversHearTheIdsOfThatKeyOnTheIdClock() throws Exception {
        RecordingApp app = new RecordingApp();
        StoreSimulation sim = simulation(app, 1);
        sim.tick();
        byte[] key = new byte[32];
        key[0] = 7;
        Duration period = Duration.ofSeconds(30);
        sim.issue(new IssuedKey("shopper-00001", key, period));

        Set<ByteString> heard = heardIds(sim, TEN_SECONDS_OF_TICKS);

        // the id clock, not simulated time, decides the slot: the gateway resolves by its wall clock
        ByteString expected = ByteString.copyFrom(new RotatingAdvertiser(key, period).idAt(ID_CLOCK_MS));
        assertThat(heard).containsExactly(expected);
    }

    @Test
    void tick_whenConsentShareIsZero_thenEveryShopperChecksInWithoutLocationConsentAndChecksOutOnLeaving() {
        RecordingApp app = new RecordingApp();
        StoreSimulation sim = simulation(app, 0);
        for (long i = 0; i < 20 * 60 * 1000 / StoreSimulation.TICK_MS; i++) {
            sim.tick();
        }

        assertThat(app.entered).isNotEmpty().allSatisfy((shopper, consent) -> assertThat(consent).isFalse());
        assertThat(app.left).isNotEmpty();
        assertThat(app.entered.keySet()).containsAll(app.left);
    }

    @Test
    void tick_whenEveryShopperCollectsAnOrder_thenEachReachesThePickupZoneOnceAtTheTickItSteppedIn() {
        RecordingApp app = new RecordingApp();
        StoreSimulation sim = new StoreSimulation(STORE, 42, 5, START, PathLossModel.SHOP_FLOOR, row -> { },
                new Phones(Optional.of(app), 1, Optional.of(() -> ID_CLOCK_MS), 1));
        for (long i = 0; i < 5 * 60 * 1000 / StoreSimulation.TICK_MS; i++) {
            long tickAt = sim.epochMs();
            sim.tick();
            for (ShopperWalk s : sim.shoppers()) {
                if (tickAt == app.reachedPickup.getOrDefault(s.id(), -1L)) {
                    assertThat(s.zone()).isEqualTo("pickup");
                }
            }
        }

        assertThat(app.collecting).containsOnlyKeys(app.entered.keySet()).containsValue("pickup-1");
        assertThat(app.reachedPickup).isNotEmpty();
        assertThat(app.collecting.keySet()).containsAll(app.reachedPickup.keySet());
    }

    private static final long ID_CLOCK_MS = 42 * 30_000L + 1;
    private static final long TWENTY_MINUTES_OF_TICKS = 20 * 60 * 1000 / StoreSimulation.TICK_MS;

    /** The touch tokens presented (NFC session taps and kiosk scans), how many were scans, and order-code taps. */
    private record Touches(List<ByteString> tokens, int scans, int orderCodeTaps) {
    }

    /** Ticks, telling {@code checkedIn} of every shopper the first tick they are in the store. */
    private static Touches touches(StoreSimulation sim, long ticks, Consumer<String> checkedIn)
            throws InvalidProtocolBufferException {
        Set<String> seen = new HashSet<>();
        List<ByteString> tokens = new ArrayList<>();
        int scans = 0;
        int orderCodeTaps = 0;
        for (long i = 0; i < ticks; i++) {
            for (Outbound message : sim.tick()) {
                DeviceEvent event = DeviceEvent.parseFrom(message.payload());
                if (event.hasNfcTap() && event.getNfcTap().getKind() == NfcTap.TokenKind.TOKEN_KIND_SESSION) {
                    tokens.add(event.getNfcTap().getToken());
                } else if (event.hasNfcTap()) {
                    orderCodeTaps++;
                } else if (event.hasKioskInteraction() && event.getKioskInteraction().hasSessionScan()) {
                    tokens.add(event.getKioskInteraction().getSessionScan().getSessionToken());
                    scans++;
                }
            }
            for (ShopperWalk shopper : sim.shoppers()) {
                if (seen.add(shopper.id())) {
                    checkedIn.accept(shopper.id());
                }
            }
        }
        return new Touches(tokens, scans, orderCodeTaps);
    }

    private static StoreSimulation simulation(ShopperApp app, double consentShare) {
        return new StoreSimulation(STORE, 42, 5, START, PathLossModel.SHOP_FLOOR, row -> { },
                new Phones(Optional.of(app), consentShare, Optional.of(() -> ID_CLOCK_MS)));
    }

    private static Set<ByteString> heardIds(StoreSimulation sim, long ticks) throws InvalidProtocolBufferException {
        Set<ByteString> heard = new HashSet<>();
        for (long i = 0; i < ticks; i++) {
            for (Outbound message : sim.tick()) {
                DeviceEvent event = DeviceEvent.parseFrom(message.payload());
                if (event.hasBeaconSightings()) {
                    event.getBeaconSightings().getSightingsList().stream().map(Sighting::getObservedId)
                            .forEach(heard::add);
                }
            }
        }
        return heard;
    }
}
