package io.floorgate.sim.play;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.Pickup;
import io.floorgate.config.Zone;
import io.floorgate.config.ZoneKind;
import io.floorgate.sim.play.ShopperWalk.Purpose;
import io.floorgate.sim.play.ShopperWalk.Stop;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Decides what a new shopper will do: which zones to browse, whether to use a kiosk, tap a reader or collect an order. */
public final class VisitPlanner {

    private static final double KIOSK_SHARE = 0.35;
    private static final double TAP_SHARE = 0.25;
    /** Of the shoppers collecting an order, those who check in for it at a kiosk in the pickup zone. */
    private static final double KIOSK_PICKUP_CHECK_IN_SHARE = 0.3;
    private static final double CHECKOUT_SHARE = 0.5;
    private static final int MIN_BROWSED_ZONES = 2;
    private static final int MAX_BROWSED_ZONES = 6;
    /** Zones a shopper never browses: staff-only, or only walked through on the way in and out. */
    private static final Set<ZoneKind> NOT_BROWSED = Set.of(ZoneKind.ENTRANCE, ZoneKind.STOCKROOM, ZoneKind.PICKUP);

    private final StoreLayout layout;
    private final List<Zone> browsable;
    private final List<Zone> checkouts;
    private final List<Device> kiosks;
    private final List<Device> sessionReaders;
    private final double pickupShare;

    public VisitPlanner(StoreLayout layout, double pickupShare) {
        this.layout = layout;
        this.pickupShare = pickupShare;
        this.browsable = layout.config().zones().stream().filter(z -> !NOT_BROWSED.contains(z.kind())).toList();
        this.checkouts = layout.config().zones().stream().filter(z -> z.kind() == ZoneKind.CHECKOUT).toList();
        this.kiosks = layout.devices(DeviceKind.KIOSK);
        Set<String> pickupReaders = Set.copyOf(pickupPoints().stream().map(Pickup.PickupPoint::nfcReader).toList());
        this.sessionReaders = layout.devices(DeviceKind.NFC_READER).stream()
                .filter(d -> !pickupReaders.contains(d.id())).toList();
    }

    public List<Stop> plan(RandomGenerator rng) {
        List<Stop> stops = new ArrayList<>();
        int browsed = rng.nextInt(MIN_BROWSED_ZONES, MAX_BROWSED_ZONES + 1);
        for (int i = 0; i < browsed && !browsable.isEmpty(); i++) {
            Zone zone = browsable.get(rng.nextInt(browsable.size()));
            long dwell = zone.kind() == ZoneKind.FITTING_ROOM ? seconds(rng, 60, 180) : seconds(rng, 10, 90);
            stops.add(new Stop(zone.id(), Optional.empty(), dwell, Purpose.BROWSE));
        }
        if (!kiosks.isEmpty() && rng.nextDouble() < KIOSK_SHARE) {
            Purpose what = rng.nextBoolean() ? Purpose.PRODUCT_LOOKUP : Purpose.FEEDBACK;
            stops.add(rng.nextInt(stops.size() + 1), atDevice(pick(kiosks, rng), what, seconds(rng, 20, 60)));
        }
        if (!sessionReaders.isEmpty() && rng.nextDouble() < TAP_SHARE) {
            stops.add(rng.nextInt(stops.size() + 1), atDevice(pick(sessionReaders, rng), Purpose.TAP_SESSION,
                    seconds(rng, 3, 10)));
        }
        List<Pickup.PickupPoint> points = pickupPoints();
        if (!points.isEmpty() && rng.nextDouble() < pickupShare) {
            stops.addAll(0, collect(pick(points, rng), rng));
        }
        if (!checkouts.isEmpty() && rng.nextDouble() < CHECKOUT_SHARE) {
            stops.add(new Stop(pick(checkouts, rng).id(), Optional.empty(), seconds(rng, 30, 120), Purpose.BROWSE));
        }
        stops.add(new Stop(layout.entrance().id(), Optional.empty(), 0, Purpose.LEAVE));
        return stops;
    }

    /**
     * Collecting an order comes first, as people who come for an order do: into the pickup zone, maybe a
     * kiosk check-in there, a wait for staff to bring the order (the service time), then the counter's tap.
     */
    private List<Stop> collect(Pickup.PickupPoint point, RandomGenerator rng) {
        List<Stop> stops = new ArrayList<>();
        List<Device> pickupKiosks = kiosks.stream().filter(k -> k.zone().equals(point.zone())).toList();
        if (!pickupKiosks.isEmpty() && rng.nextDouble() < KIOSK_PICKUP_CHECK_IN_SHARE) {
            stops.add(atDevice(pick(pickupKiosks, rng), Purpose.PICKUP_CHECK_IN, seconds(rng, 5, 15)));
        }
        stops.add(new Stop(point.zone(), Optional.empty(), seconds(rng, 20, 120), Purpose.WAIT_FOR_ORDER));
        layout.config().device(point.nfcReader()).ifPresent(reader ->
                stops.add(new Stop(point.zone(), Optional.of(reader), seconds(rng, 3, 10), Purpose.TAP_ORDER)));
        return stops;
    }

    /** The pickup point where a plan collects an order, by the counter's reader it taps; empty: it collects none. */
    public Optional<String> pickupPoint(List<Stop> plan) {
        return plan.stream().filter(s -> s.purpose() == Purpose.TAP_ORDER).flatMap(s -> s.device().stream())
                .flatMap(reader -> pickupPoints().stream().filter(p -> p.nfcReader().equals(reader.id())))
                .map(Pickup.PickupPoint::id).findFirst();
    }

    private List<Pickup.PickupPoint> pickupPoints() {
        return layout.config().pickup() == null ? List.of() : layout.config().pickup().points();
    }

    private static Stop atDevice(Device device, Purpose purpose, long dwellMs) {
        return new Stop(device.zone(), Optional.of(device), dwellMs, purpose);
    }

    private static <T> T pick(List<T> from, RandomGenerator rng) {
        return from.get(rng.nextInt(from.size()));
    }

    private static long seconds(RandomGenerator rng, int min, int max) {
        return rng.nextLong(min * 1000L, max * 1000L + 1);
    }
}
