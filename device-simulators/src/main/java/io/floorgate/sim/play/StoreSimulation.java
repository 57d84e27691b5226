package io.floorgate.sim.play;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.Point;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.Zone;
import io.floorgate.config.ZoneKind;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.DeviceCommand;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.sim.play.ShopperWalk.Purpose;
import io.floorgate.sim.play.ShopperWalk.Stop;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The store, simulated on a fixed tick of simulated time. All randomness comes from RNGs seeded
 * once from the seed, and nothing reads the wall clock, so the same seed, store and start time replay
 * the same shoppers, the same ground truth and the same device messages, however fast the ticks are
 * driven. Single-threaded: one caller ticks it.
 */
public final class StoreSimulation {

    /** One phone advertisement per shopper per tick: phones advertise every 250 ms. */
    public static final long TICK_MS = 250;
    public static final long REPORT_WINDOW_MS = 1_000;
    public static final long HEARTBEAT_INTERVAL_MS = 30_000;
    public static final long TRUTH_INTERVAL_MS = 1_000;
    /** Mean time between two arrivals while the store is below its shopper count. */
    private static final double MEAN_ARRIVAL_GAP_MS = 1_500;
    private static final double MIN_SPEED_MPS = 0.5;
    private static final double MAX_SPEED_MPS = 1.4;
    /** Once drawn for a random session token; still drawn, so that every later draw stays where it was. */
    private static final int FORMER_TOKEN_BYTES = 16;
    /** Of the kiosk visits of shoppers whose app has a session, those that begin with a scan of the app's code. */
    private static final double KIOSK_SCAN_SHARE = 0.5;
    private static final int SESSION_KEY_BYTES = 32;
    private static final int MIN_CSAT = 1;
    private static final int MAX_CSAT = 5;
    private static final int MAX_NPS = 10;
    private static final int MIN_CES = 1;
    private static final int MAX_CES = 7;

    private final StoreLayout layout;
    private final VisitPlanner planner;
    private final PathLossModel pathLoss;
    private final RandomGenerator rng;
    /** Whether a kiosk visit begins with a scan: a stream of its own, so the walks' stream does not move. */
    private final RandomGenerator scanRng;
    /** Boot ids drawn at reboots: a stream of their own, so a command does not move the walks' stream. */
    private final RandomGenerator rebootRng;
    private final int shopperTarget;
    private final long startEpochMs;
    private final Consumer<TruthRow> truth;
    private final Phones phones;
    private final Map<String, ShopperWalk> shoppersById = new HashMap<>();
    private final Map<String, SimulatedDevice> devices = new HashMap<>();
    private final List<SimulatedDevice> deviceOrder = new ArrayList<>();
    private final List<SimulatedDevice> receivers = new ArrayList<>();
    private final Map<String, ReceiverReporter> reporters = new HashMap<>();
    private final List<ShopperWalk> shoppers = new ArrayList<>();
    /** Shoppers collecting an order who have not reached the pickup zone yet. */
    private final Set<String> collecting = new HashSet<>();
    private final double audibleM;
    private long simMs;
    private long nextArrivalMs;
    private int shoppersEntered;

    public StoreSimulation(StoreConfig config, long seed, int shopperTarget, long startEpochMs,
                           PathLossModel pathLoss, Consumer<TruthRow> truth) {
        this(config, seed, shopperTarget, startEpochMs, pathLoss, truth, Phones.OFFLINE);
    }

    public StoreSimulation(StoreConfig config, long seed, int shopperTarget, long startEpochMs,
                           PathLossModel pathLoss, Consumer<TruthRow> truth, Phones phones) {
        this.phones = phones;
        this.layout = new StoreLayout(config);
        this.planner = new VisitPlanner(layout, phones.pickupShare());
        this.pathLoss = pathLoss;
        this.rng = new SplittableRandom(seed);
        this.scanRng = new SplittableRandom(seed).split();
        this.rebootRng = new SplittableRandom(seed ^ startEpochMs).split();
        this.shopperTarget = shopperTarget;
        this.startEpochMs = startEpochMs;
        this.truth = truth;
        this.audibleM = pathLoss.maxAudibleDistanceM();
        // a new start is a reboot: a gateway remembers (device, boot, seq), so a replay of the same seed at
        // another time must boot afresh or its events are dropped as duplicates of the last run's
        RandomGenerator boots = new SplittableRandom(seed ^ startEpochMs);
        for (Device d : config.devices()) {
            SimulatedDevice device = new SimulatedDevice(d, startEpochMs, boots);
            devices.put(d.id(), device);
            deviceOrder.add(device);
            if (d.kind() == DeviceKind.BLE_RECEIVER) {
                receivers.add(device);
                reporters.put(d.id(), new ReceiverReporter((int) pathLoss.txPowerAt1mDbm()));
            }
        }
    }

    public long simulatedMs() {
        return simMs;
    }

    public long epochMs() {
        return startEpochMs + simMs;
    }

    public int shoppersInStore() {
        return shoppers.size();
    }

    public int shoppersEntered() {
        return shoppersEntered;
    }

    public SimulatedDevice device(String id) {
        return devices.get(id);
    }

    public StoreLayout layout() {
        return layout;
    }

    /** Simulates one tick from the current simulated time and advances it; returns what devices publish. */
    public List<Outbound> tick() {
        long now = epochMs();
        List<Outbound> out = new ArrayList<>();
        admitShopper();
        for (ShopperWalk shopper : shoppers) {
            shopper.tick(TICK_MS, layout, rng).ifPresent(stop -> interact(shopper, stop, now, out));
        }
        notePickupArrivals(now);
        advertise(now);
        if (simMs > 0) {
            reportSightings(now, out);
        }
        if (simMs % TRUTH_INTERVAL_MS == 0) {
            for (ShopperWalk s : shoppers) {
                truth.accept(new TruthRow(now, s.id(), s.zone(), s.position().x(), s.position().y()));
            }
        }
        sendHeartbeats(now, out);
        for (ShopperWalk s : shoppers) {
            if (s.hasLeft()) {
                shoppersById.remove(s.id());
                collecting.remove(s.id());
                phones.app().ifPresent(app -> app.left(s.id()));
            }
        }
        shoppers.removeIf(ShopperWalk::hasLeft);
        simMs += TICK_MS;
        return out;
    }

    private void admitShopper() {
        if (shoppers.size() >= shopperTarget || simMs < nextArrivalMs) {
            return;
        }
        Zone entrance = layout.entrance();
        Point start = layout.randomPointIn(entrance, rng);
        String id = String.format("shopper-%05d", ++shoppersEntered);
        byte[] key = bytes(SESSION_KEY_BYTES);
        bytes(FORMER_TOKEN_BYTES);
        // the start time in the code keeps a replay's codes apart from an earlier run's orders at the same gateway
        String orderCode = String.format("ORD-%s-%06d", Long.toString(startEpochMs, 36), rng.nextInt(1_000_000));
        double speed = MIN_SPEED_MPS + rng.nextDouble() * (MAX_SPEED_MPS - MIN_SPEED_MPS);
        // key and consent are drawn either way, so checking in over HTTP does not shift the random stream of the walk
        boolean locationConsent = rng.nextDouble() < phones.locationConsentShare();
        List<Stop> plan = planner.plan(rng);
        ShopperWalk shopper = new ShopperWalk(id, orderCode, speed, start, entrance.id(), plan);
        shoppers.add(shopper);
        shoppersById.put(id, shopper);
        Optional<String> pickupPoint = planner.pickupPoint(plan);
        pickupPoint.ifPresent(point -> collecting.add(id));
        if (phones.app().isPresent()) {
            pickupPoint.ifPresent(point -> phones.app().get().collecting(id, orderCode, point));
            phones.app().get().entered(id, locationConsent);
        } else {
            shopper.advertiseWith(new RotatingAdvertiser(key, RotatingAdvertiser.ROTATION_PERIOD));
        }
        nextArrivalMs = simMs + Math.round(-Math.log(1 - rng.nextDouble()) * MEAN_ARRIVAL_GAP_MS);
    }

    /**
     * Gives a shopper the key the gateway issued at check-in; until then its phone is silent, as an
     * app is before it has a session. A shopper who left meanwhile is ignored.
     */
    public void issue(IssuedKey key) {
        ShopperWalk shopper = shoppersById.get(key.shopperId());
        if (shopper != null) {
            shopper.checkedInWith(new RotatingAdvertiser(key.key(), key.rotationPeriod()));
        }
    }

    /** Dated at the tick's time, the same time as the first advertisement heard from inside the zone. */
    private void notePickupArrivals(long now) {
        if (collecting.isEmpty()) {
            return;
        }
        for (ShopperWalk shopper : shoppers) {
            if (layout.zone(shopper.zone()).kind() == ZoneKind.PICKUP && collecting.remove(shopper.id())) {
                phones.app().ifPresent(app -> app.reachedPickup(shopper.id(), now));
            }
        }
    }

    /** The time phones derive their ids and tokens by: the gateway's wall clock when it resolves them. */
    private long idTime(long simulatedNow) {
        return phones.idClock().map(LongSupplier::getAsLong).orElse(simulatedNow);
    }

    private void advertise(long simulatedNow) {
        long now = idTime(simulatedNow);
        for (ShopperWalk shopper : shoppers) {
            if (shopper.hasLeft() || shopper.advertiser().isEmpty()) {
                continue;
            }
            byte[] id = shopper.advertiser().get().idAt(now);
            for (SimulatedDevice receiver : receivers) {
                double d = receiver.device().position().distanceTo(shopper.position());
                if (d > audibleM) {
                    continue;
                }
                OptionalInt rssi = pathLoss.hear(d, rng);
                if (rssi.isPresent()) {
                    reporters.get(receiver.device().id()).heard(id, rssi.getAsInt());
                }
            }
        }
    }

    /** Each receiver at the end of its own report window (the gateway may have changed it by a command). */
    private void reportSightings(long now, List<Outbound> out) {
        for (SimulatedDevice receiver : receivers) {
            if (simMs % receiver.reportIntervalMs() != 0) {
                continue;
            }
            for (BeaconSightings batch : reporters.get(receiver.device().id())
                    .flush((int) receiver.reportIntervalMs())) {
                DeviceEvent event = receiver.nextEvent(now).setBeaconSightings(batch).build();
                out.add(new Outbound(receiver.device().id(), Outbound.EVENTS, 0, event.toByteArray()));
            }
        }
    }

    /** Heartbeats are staggered by one tick per device, so a large store does not send them all at once. */
    private void sendHeartbeats(long now, List<Outbound> out) {
        for (int i = 0; i < deviceOrder.size(); i++) {
            SimulatedDevice device = deviceOrder.get(i);
            long interval = device.heartbeatIntervalMs();
            long offset = (i * TICK_MS) % interval;
            if (simMs >= offset && (simMs - offset) % interval == 0) {
                out.add(new Outbound(device.device().id(), Outbound.HEALTH, 0, device.heartbeat(now).toByteArray()));
            }
        }
    }

    /**
     * A shopper at a device: a tap of the app's touch token (only once the gateway issued a key: before, the
     * app has nothing to present and nothing is sent), of the order code, or a kiosk visit. A share of kiosk
     * visits begins with a scan of the app's code; at the pickup kiosk the scan is the check-in, in place of
     * typing the order code.
     */
    private void interact(ShopperWalk shopper, Stop stop, long now, List<Outbound> out) {
        if (stop.device().isEmpty()) {
            return;
        }
        SimulatedDevice device = devices.get(stop.device().get().id());
        Optional<byte[]> token = shopper.touchTokenAt(idTime(now));
        boolean kiosk = stop.purpose() == Purpose.PRODUCT_LOOKUP || stop.purpose() == Purpose.FEEDBACK
                || stop.purpose() == Purpose.PICKUP_CHECK_IN;
        // Drawn at every kiosk visit, token or not, so the scans of a seed do not depend on check-in timing.
        boolean scan = kiosk && scanRng.nextDouble() < KIOSK_SCAN_SHARE && token.isPresent();
        if (scan) {
            publish(device, now, out, KioskInteraction.newBuilder().setSessionScan(
                    KioskInteraction.SessionScan.newBuilder().setSessionToken(ByteString.copyFrom(token.get()))));
        }
        switch (stop.purpose()) {
            case TAP_SESSION -> token.ifPresent(t -> publish(device, now, out, NfcTap.newBuilder()
                    .setToken(ByteString.copyFrom(t)).setKind(NfcTap.TokenKind.TOKEN_KIND_SESSION)));
            case TAP_ORDER -> publish(device, now, out, NfcTap.newBuilder()
                    .setToken(ByteString.copyFrom(shopper.orderCode(), StandardCharsets.UTF_8))
                    .setKind(NfcTap.TokenKind.TOKEN_KIND_ORDER));
            case PRODUCT_LOOKUP -> publish(device, now, out, productLookupOrFeedback());
            case FEEDBACK -> publish(device, now, out, KioskInteraction.newBuilder().setFeedback(feedback()));
            case PICKUP_CHECK_IN -> {
                if (!scan) {
                    publish(device, now, out, KioskInteraction.newBuilder().setPickupCheckIn(
                            KioskInteraction.PickupCheckIn.newBuilder().setOrderCode(shopper.orderCode())));
                }
            }
            case BROWSE, WAIT_FOR_ORDER, LEAVE -> {
                // nothing to publish
            }
        }
    }

    private static void publish(SimulatedDevice device, long now, List<Outbound> out, NfcTap.Builder tap) {
        out.add(qos1(device, device.nextEvent(now).setNfcTap(tap)));
    }

    private static void publish(SimulatedDevice device, long now, List<Outbound> out,
                                KioskInteraction.Builder interaction) {
        out.add(qos1(device, device.nextEvent(now).setKioskInteraction(interaction)));
    }

    private static Outbound qos1(SimulatedDevice device, DeviceEvent.Builder event) {
        return new Outbound(device.device().id(), Outbound.EVENTS, 1, event.build().toByteArray());
    }

    private KioskInteraction.Builder productLookupOrFeedback() {
        var products = layout.config().products();
        if (products.isEmpty()) {
            return KioskInteraction.newBuilder().setFeedback(feedback());
        }
        String sku = products.get(rng.nextInt(products.size())).sku();
        return KioskInteraction.newBuilder().setProductLookup(KioskInteraction.ProductLookup.newBuilder().setSku(sku));
    }

    /** Each score answered by four shoppers in five; the contract wants at least one. */
    private KioskInteraction.Feedback.Builder feedback() {
        KioskInteraction.Feedback.Builder f = KioskInteraction.Feedback.newBuilder();
        boolean csat = rng.nextDouble() < 0.8;
        boolean nps = rng.nextDouble() < 0.8;
        boolean ces = rng.nextDouble() < 0.8;
        if (csat || !(nps || ces)) {
            f.setCsat(rng.nextInt(MIN_CSAT, MAX_CSAT + 1));
        }
        if (nps) {
            f.setNps(rng.nextInt(0, MAX_NPS + 1));
        }
        if (ces) {
            f.setCes(rng.nextInt(MIN_CES, MAX_CES + 1));
        }
        return f;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    /**
     * A command from the gateway, carried out by the device's firmware at the current simulated time. A reboot draws
     * the new boot now; its answer is the first event of that boot.
     */
    public Obeyed obey(String deviceId, DeviceCommand command) {
        SimulatedDevice device = devices.get(deviceId);
        long now = epochMs();
        String detail;
        boolean ok = true;
        boolean reboot = false;
        switch (command.getCommandCase()) {
            case IDENTIFY -> detail = "identify for " + command.getIdentify().getDurationS() + " s";
            case REBOOT -> {
                device.reboot(now, rebootRng);
                detail = "rebooted";
                reboot = true;
            }
            case SET_REPORT_INTERVAL -> {
                DeviceCommand.SetReportInterval intervals = command.getSetReportInterval();
                // a field left at 0 keeps its interval
                device.setReportIntervals(intervals.getReportIntervalMs() == 0 ? device.reportIntervalMs()
                                : intervals.getReportIntervalMs(),
                        intervals.getHeartbeatIntervalS() == 0 ? device.heartbeatIntervalMs()
                                : intervals.getHeartbeatIntervalS() * 1000L);
                detail = "report every " + device.reportIntervalMs() + " ms, heartbeat every "
                        + device.heartbeatIntervalMs() / 1000 + " s";
            }
            default -> {
                ok = false;
                detail = "unknown command";
            }
        }
        Outbound answer = new Outbound(deviceId, Outbound.EVENTS, 1,
                device.answer(command.getCommandId(), ok, detail, now).toByteArray());
        return new Obeyed(deviceId + ": " + detail, answer, reboot);
    }

    /** For tests and the truth file: every shopper currently in the store. */
    public List<ShopperWalk> shoppers() {
        return List.copyOf(shoppers);
    }
}
