package io.floorgate.gateway.location;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.Point;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.Zone;

/**
 * The sales floor as the location filter sees it: which zone a point is in (a raster of
 * {@link #RASTER_M} squares, so a lookup is one array read), which zones a shopper can walk straight
 * between, and where the BLE receivers stand.
 *
 * <p>Two zones are walkable from one another when the configuration says they are adjacent: shelving
 * between two aisles is a wall for a walking shopper though not for radio, so the filter never lets a
 * position pass through it.
 *
 * <p>Immutable, built once per configuration; safe to share between threads.
 */
public final class FloorMap {

    /** Fine enough that a zone's border is placed to within 12 cm, well under BLE's ranging error. */
    static final double RASTER_M = 0.25;
    /** Beyond this many squares (a floor of about 250,000 m²) the squares grow instead: memory is one byte each. */
    private static final int MAX_SQUARES = 4_000_000;
    private static final int MAX_ZONES = Short.MAX_VALUE;

    private final double squareM;
    private final int cols;
    private final int rows;
    private final double widthM;
    private final double depthM;
    /** Per square, the index of its zone in {@link #zoneIds}, or -1 off the sales floor. */
    private final short[] zoneOfSquare;
    private final List<String> zoneIds;
    private final boolean[][] walkable;
    private final Map<String, Integer> receiverIndex;
    private final float[] receiverX;
    private final float[] receiverY;
    /** Every device's position, for touches: a shopper who taps a reader or scans at a kiosk stands at it. */
    private final Map<String, Point> devicePositions;

    private FloorMap(StoreConfig config) {
        List<Zone> zones = config.zones();
        if (zones.size() > MAX_ZONES) {
            throw new IllegalArgumentException("at most " + MAX_ZONES + " zones, not " + zones.size());
        }
        widthM = config.floorPlan().widthM();
        depthM = config.floorPlan().depthM();
        squareM = Math.max(RASTER_M, Math.sqrt(widthM * depthM / MAX_SQUARES));
        cols = Math.max(1, (int) Math.ceil(widthM / squareM));
        rows = Math.max(1, (int) Math.ceil(depthM / squareM));
        zoneIds = zones.stream().map(Zone::id).toList();
        zoneOfSquare = new short[cols * rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                zoneOfSquare[r * cols + c] = (short) zoneContaining(zones, new Point((c + 0.5) * squareM,
                        (r + 0.5) * squareM));
            }
        }
        walkable = walkableZonePairs(zones);
        devicePositions = new HashMap<>();
        config.devices().forEach(d -> devicePositions.put(d.id(), d.position()));
        receiverIndex = new HashMap<>();
        List<Device> receivers = config.devices().stream().filter(d -> d.kind() == DeviceKind.BLE_RECEIVER).toList();
        receiverX = new float[receivers.size()];
        receiverY = new float[receivers.size()];
        for (int i = 0; i < receivers.size(); i++) {
            receiverIndex.put(receivers.get(i).id(), i);
            receiverX[i] = (float) receivers.get(i).position().x();
            receiverY[i] = (float) receivers.get(i).position().y();
        }
    }

    public static FloorMap of(StoreConfig config) {
        return new FloorMap(config);
    }

    private static int zoneContaining(List<Zone> zones, Point p) {
        for (int z = 0; z < zones.size(); z++) {
            if (zones.get(z).contains(p)) {
                return z;
            }
        }
        return -1;
    }

    /** Every zone with itself, and each configured adjacency both ways. */
    private static boolean[][] walkableZonePairs(List<Zone> zones) {
        Map<String, Integer> byId = new HashMap<>();
        for (int z = 0; z < zones.size(); z++) {
            byId.put(zones.get(z).id(), z);
        }
        boolean[][] pairs = new boolean[zones.size()][zones.size()];
        for (int z = 0; z < zones.size(); z++) {
            pairs[z][z] = true;
            for (String other : zones.get(z).adjacent()) {
                Integer o = byId.get(other);
                if (o != null) {
                    pairs[z][o] = true;
                    pairs[o][z] = true;
                }
            }
        }
        return pairs;
    }

    List<String> zoneIds() {
        return zoneIds;
    }

    /** The zone at a point, or -1 off the sales floor. */
    int zoneAt(float x, float y) {
        if (x < 0 || y < 0 || x >= widthM || y >= depthM) {
            return -1;
        }
        int c = Math.min(cols - 1, (int) (x / squareM));
        int r = Math.min(rows - 1, (int) (y / squareM));
        return zoneOfSquare[r * cols + c];
    }

    boolean walkable(int fromZone, int toZone) {
        return walkable[fromZone][toZone];
    }

    /** A receiver's index for {@link #receiverX} and {@link #receiverY}, or -1 for a device that is not a BLE receiver here. */
    int receiver(String deviceId) {
        Integer r = receiverIndex.get(deviceId);
        return r == null ? -1 : r;
    }

    /** Where a device stands, if it is configured. */
    Optional<Point> devicePosition(String deviceId) {
        return Optional.ofNullable(devicePositions.get(deviceId));
    }

    float receiverX(int receiver) {
        return receiverX[receiver];
    }

    float receiverY(int receiver) {
        return receiverY[receiver];
    }

    /**
     * A point drawn evenly over the sales floor, or, on a floor with no zone at all, any point of the plan. A
     * bounded number of tries, so a floor plan mostly outside every zone cannot stall the caller.
     */
    void randomPoint(RandomGenerator rng, float[] xy) {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            xy[0] = (float) (rng.nextDouble() * widthM);
            xy[1] = (float) (rng.nextDouble() * depthM);
            if (zoneAt(xy[0], xy[1]) >= 0) {
                return;
            }
        }
    }
}
