package io.floorgate.sim.store;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.FloorPlan;
import io.floorgate.config.Ingest;
import io.floorgate.config.Limits;
import io.floorgate.config.Listeners;
import io.floorgate.config.Pickup;
import io.floorgate.config.Point;
import io.floorgate.config.Product;
import io.floorgate.config.Retention;
import io.floorgate.config.Sessions;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.Upstream;
import io.floorgate.config.Zone;
import io.floorgate.config.ZoneKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A generated store: a 60 x 40 m floor cut into a 4 x 3 grid of zones (entrance, pickup, checkout,
 * fitting room, aisles), with any number of devices spread over it. Used by gen-store for the
 * 2,000 and 10,000 device benchmarks, and by tests that need a store without a file.
 *
 * @param storeId    the store's id
 * @param devices    devices in total
 * @param nfcReaders how many of them are NFC readers (the QoS 1 load connects as these)
 * @param kiosks     how many are kiosks
 * @param limits     the per-device limits written into the store
 * @param seed       seeds the device secrets, so a regenerated file has the same ones
 */
public record SyntheticStore(String storeId, int devices, int nfcReaders, int kiosks, Limits limits, long seed) {

    /** Every simulated device connects from the simulator's one address: all of them at once, and again after an outage. */
    private static final double SIMULATOR_CONNECTION_RATE = 100_000;
    private static final int SIMULATOR_CONNECTION_BURST = 100_000;

    /**
     * Limits that never throttle a benchmark: it measures the gateway, not its rate limiter. The rate
     * is the loader's ceiling (100,000 msgs/s per device), several times what one load connection sends.
     */
    public static final Limits BENCHMARK_LIMITS = new Limits(16 * 1024, 100_000, 1_000_000, 100_000)
            .withConnectionRate(SIMULATOR_CONNECTION_RATE, SIMULATOR_CONNECTION_BURST);
    /**
     * Limits like a real store's: a receiver reports once a second, bursts after a reconnect. Only the per-address
     * connection limits are not: a real store's devices each connect from an address of their own, the simulated
     * ones all from the simulator's.
     */
    public static final Limits STORE_LIMITS = new Limits(16 * 1024, 50, 200, 1_000)
            .withConnectionRate(SIMULATOR_CONNECTION_RATE, SIMULATOR_CONNECTION_BURST);

    private static final double WIDTH_M = 60;
    private static final double DEPTH_M = 40;
    private static final int COLUMNS = 4;
    private static final int ROWS = 3;
    private static final int SECRET_BYTES = 12;
    private static final int PRODUCTS_PER_AISLE = 5;
    /** Keep devices off the zone edges, where containment is ambiguous. */
    private static final double EDGE_MARGIN_M = 0.5;
    /** Generated stores are test and benchmark fixtures: their upstream never receives anything. */
    private static final String HASH_KEY = "synthetic-store-hash-key";

    public SyntheticStore {
        if (devices < 1 || nfcReaders < 0 || kiosks < 0 || nfcReaders + kiosks > devices) {
            throw new IllegalArgumentException("devices " + devices + " must be >= 1 and hold nfcReaders "
                    + nfcReaders + " + kiosks " + kiosks);
        }
    }

    /** A store shaped like the demo store: 30 receivers, 4 NFC readers, 3 kiosks, real limits. */
    public static SyntheticStore demoLike(long seed) {
        return new SyntheticStore("sim-store", 37, 4, 3, STORE_LIMITS, seed);
    }

    /** A benchmark store: a fifth of the devices are NFC readers, no kiosks, no rate limits. */
    public static SyntheticStore forBenchmark(int devices) {
        return new SyntheticStore("bench-store", devices, Math.max(1, devices / 5), 0, BENCHMARK_LIMITS, 1);
    }

    public StoreConfig build() {
        List<Zone> zones = zones();
        List<Device> deviceList = devices(zones);
        List<Product> products = new ArrayList<>();
        for (Zone z : zones) {
            if (z.kind() == ZoneKind.AISLE) {
                for (int i = 1; i <= PRODUCTS_PER_AISLE; i++) {
                    products.add(new Product(String.format("SKU-%s-%02d", z.id().toUpperCase(), i),
                            "Product " + i + " in " + z.name(), z.id()));
                }
            }
        }
        String pickupReader = deviceList.stream().filter(d -> d.kind() == DeviceKind.NFC_READER).findFirst()
                .map(Device::id).orElse(null);
        Pickup pickup = new Pickup(pickupReader == null ? List.of()
                : List.of(new Pickup.PickupPoint("pickup-1", "pickup", pickupReader)), Duration.ofMinutes(5));
        return new StoreConfig(null, storeId, "sim-chain", "Simulated store " + storeId,
                new FloorPlan(WIDTH_M, DEPTH_M), zones, deviceList, products, pickup, limits,
                new Listeners("127.0.0.1", 1883, 8080, Optional.empty()),
                new Ingest(Duration.ofMillis(2), 1_000, 10_000),
                new Upstream(Optional.empty(), "floorgate-" + storeId, Duration.ofSeconds(60), 100_000,
                        Duration.ofDays(7), HASH_KEY),
                new Retention(Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(30),
                        Duration.ofDays(7), Duration.ofDays(7)),
                new Sessions(Duration.ofMinutes(30), Duration.ofSeconds(60), Optional.empty()));
    }

    private static List<Zone> zones() {
        double w = WIDTH_M / COLUMNS;
        double d = DEPTH_M / ROWS;
        List<Zone> zones = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
            for (int col = 0; col < COLUMNS; col++) {
                ZoneKind kind = kindAt(row, col);
                String id = idAt(row, col);
                List<Point> polygon = List.of(new Point(col * w, row * d), new Point((col + 1) * w, row * d),
                        new Point((col + 1) * w, (row + 1) * d), new Point(col * w, (row + 1) * d));
                List<String> adjacent = new ArrayList<>();
                if (col > 0) {
                    adjacent.add(idAt(row, col - 1));
                }
                if (col < COLUMNS - 1) {
                    adjacent.add(idAt(row, col + 1));
                }
                if (row > 0) {
                    adjacent.add(idAt(row - 1, col));
                }
                if (row < ROWS - 1) {
                    adjacent.add(idAt(row + 1, col));
                }
                zones.add(new Zone(id, nameOf(id), kind, polygon, adjacent));
            }
        }
        return zones;
    }

    private static ZoneKind kindAt(int row, int col) {
        if (row == 0 && col == 0) {
            return ZoneKind.ENTRANCE;
        }
        if (row == 0 && col == 1) {
            return ZoneKind.CHECKOUT;
        }
        if (row == 0 && col == COLUMNS - 1) {
            return ZoneKind.PICKUP;
        }
        if (row == ROWS - 1 && col == COLUMNS - 1) {
            return ZoneKind.FITTING_ROOM;
        }
        return ZoneKind.AISLE;
    }

    private static String idAt(int row, int col) {
        return switch (kindAt(row, col)) {
            case ENTRANCE -> "entrance";
            case CHECKOUT -> "checkout";
            case PICKUP -> "pickup";
            case FITTING_ROOM -> "fitting-rooms";
            default -> "aisle-" + (row * COLUMNS + col);
        };
    }

    private static String nameOf(String id) {
        return Character.toUpperCase(id.charAt(0)) + id.substring(1).replace('-', ' ');
    }

    /**
     * Devices on a regular grid over the floor, each in the zone under it. Readers and kiosks are
     * spread evenly among the receivers; the first reader stands at the pickup counter.
     */
    private List<Device> devices(List<Zone> zones) {
        SplittableRandom rng = new SplittableRandom(seed);
        int columns = (int) Math.ceil(Math.sqrt(devices * WIDTH_M / DEPTH_M));
        int rows = (int) Math.ceil((double) devices / columns);
        int special = nfcReaders + kiosks;
        int readers = 0;
        int kioskCount = 0;
        int receivers = 0;
        List<Device> result = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            double x = EDGE_MARGIN_M + (WIDTH_M - 2 * EDGE_MARGIN_M) * ((i % columns) + 0.5) / columns;
            double y = EDGE_MARGIN_M + (DEPTH_M - 2 * EDGE_MARGIN_M) * ((i / columns) + 0.5) / rows;
            Point at = new Point(Math.round(x * 100) / 100.0, Math.round(y * 100) / 100.0);
            boolean isSpecial = special > 0 && readers + kioskCount < special
                    && i == (long) (readers + kioskCount) * devices / special;
            DeviceKind kind;
            String id;
            if (isSpecial && readers < nfcReaders) {
                kind = DeviceKind.NFC_READER;
                id = String.format("nfc-%05d", ++readers);
                if (readers == 1) {
                    at = zones.stream().filter(z -> z.kind() == ZoneKind.PICKUP).findFirst().orElseThrow().centre();
                }
            } else if (isSpecial) {
                kind = DeviceKind.KIOSK;
                id = String.format("kiosk-%05d", ++kioskCount);
            } else {
                kind = DeviceKind.BLE_RECEIVER;
                id = String.format("ble-%05d", ++receivers);
            }
            Point position = at;
            String zone = zones.stream().filter(z -> z.contains(position)).findFirst().orElse(zones.get(0)).id();
            byte[] secret = new byte[SECRET_BYTES];
            rng.nextBytes(secret);
            result.add(new Device(id, kind, zone, position, HexFormat.of().formatHex(secret)));
        }
        return result;
    }
}
