package io.floorgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a store file's tree into a {@link StoreConfig}: the store, its floor plan, zones, devices, products and
 * pickup points here, the gateway's settings in {@link SettingsReader}. Each field's own rules (type, range, id
 * pattern) are checked here; rules between fields are {@link StoreConfigValidator}'s.
 *
 * <p>The result is a draft whenever problems were reported: a wrong value is left null (or an empty list) so that
 * the validator can still check everything else, and the loader throws before anyone sees the draft.
 */
final class StoreConfigReader {

    static final Pattern STORE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String STORE_ID_RULE = "1 to 64 letters, digits, '.', '_' or '-'";
    static final Pattern ZONE_ID = Pattern.compile("[a-z0-9-]{1,64}");
    static final String ZONE_ID_RULE = "1 to 64 lower-case letters, digits or '-'";
    static final Pattern DEVICE_ID = STORE_ID;
    static final String DEVICE_ID_RULE = STORE_ID_RULE;
    static final Pattern SKU = Pattern.compile("\\S{1,64}");
    static final String SKU_RULE = "1 to 64 characters without spaces";

    /** A device secret is its MQTT password; shorter ones are guessable by anyone in radio range of the store. */
    static final int MIN_DEVICE_SECRET_LENGTH = 12;
    /** Larger than any store building; a bigger number is a typo (centimetres for metres). */
    static final double MAX_FLOOR_SIDE_M = 1000;
    static final Duration DEFAULT_SERVICE_LEVEL = Duration.ofMinutes(5);
    static final Duration MIN_SERVICE_LEVEL = Duration.ofSeconds(1);
    static final Duration MAX_SERVICE_LEVEL = Duration.ofDays(1);

    private static final List<String> TOP_KEYS = List.of("store", "floorPlan", "zones", "devices", "products",
            "pickup", "limits", "listeners", "ingest", "upstream", "retention", "sessions", "staff", "staffSessions", "storage");
    private static final List<String> STORE_KEYS = List.of("id", "chain", "name");
    private static final List<String> FLOOR_PLAN_KEYS = List.of("widthM", "depthM");
    private static final List<String> ZONE_KEYS = List.of("id", "name", "kind", "polygon", "adjacent");
    private static final List<String> DEVICE_KEYS = List.of("id", "kind", "zone", "position", "secret", "secretEnv");
    private static final List<String> PRODUCT_KEYS = List.of("sku", "name", "zone");
    private static final List<String> PICKUP_KEYS = List.of("serviceLevel", "points");
    private static final List<String> PICKUP_POINT_KEYS = List.of("id", "zone", "nfcReader");

    private record StoreSection(String id, String chain, String name) {
    }

    private final Path file;
    private final SourceMap sourceMap;
    private final SecretReader secrets;
    private final Path baseDir;

    /**
     * @param baseDir where relative paths in the file (TLS certificate and key) are resolved: the file's directory
     */
    StoreConfigReader(Path file, SourceMap sourceMap, Function<String, String> env, Path baseDir) {
        this.file = file;
        this.sourceMap = sourceMap;
        this.secrets = new SecretReader(env);
        this.baseDir = baseDir;
    }

    Optional<StoreConfig> read(NodeCursor root) {
        return root.mapping(TOP_KEYS).map(top -> {
            StoreSection store = top.required("store", this::store);
            String storeId = store == null ? null : store.id();
            SettingsReader settings = new SettingsReader(secrets, baseDir);
            return new StoreConfig(
                    file,
                    storeId,
                    store == null ? null : store.chain(),
                    store == null ? null : store.name(),
                    top.required("floorPlan", this::floorPlan),
                    orEmpty(top.required("zones", this::zones)),
                    orEmpty(top.value("devices", c -> c.eachOf(this::device), List.of())),
                    orEmpty(top.value("products", c -> c.eachOf(this::product), List.of())),
                    top.section("pickup", PICKUP_KEYS).map(this::pickup).orElse(null),
                    top.section("limits", SettingsReader.LIMITS_KEYS).map(settings::limits).orElse(null),
                    top.section("listeners", SettingsReader.LISTENERS_KEYS).map(settings::listeners).orElse(null),
                    top.section("ingest", SettingsReader.INGEST_KEYS).map(settings::ingest).orElse(null),
                    top.section("upstream", SettingsReader.UPSTREAM_KEYS)
                            .map(m -> settings.upstream(m, storeId)).orElse(null),
                    top.section("retention", SettingsReader.RETENTION_KEYS).map(settings::retention).orElse(null),
                    top.section("sessions", SettingsReader.SESSIONS_KEYS).map(settings::sessions).orElse(null),
                    staff(top),
                    top.section("storage", SettingsReader.STORAGE_KEYS).map(settings::storage).orElse(null));
        });
    }

    /** Null when the session settings are wrong (reported); accounts that read wrong are left out (reported). */
    private Staff staff(MappingCursor top) {
        List<StaffAccount> accounts = orEmpty(top.value("staff",
                c -> c.eachOf(item -> StaffReader.account(item, sourceMap)), List.of()));
        StaffSessionPolicy sessions = top.section("staffSessions", StaffReader.SESSIONS_KEYS)
                .map(StaffReader::sessions).orElse(null);
        return sessions == null ? null : new Staff(accounts, sessions);
    }

    private Optional<StoreSection> store(NodeCursor c) {
        return c.mapping(STORE_KEYS).map(m -> new StoreSection(
                m.required("id", n -> n.text(STORE_ID, STORE_ID_RULE)),
                m.required("chain", n -> n.text(STORE_ID, STORE_ID_RULE)),
                m.required("name", NodeCursor::text)));
    }

    private Optional<FloorPlan> floorPlan(NodeCursor c) {
        return c.mapping(FLOOR_PLAN_KEYS).flatMap(m -> {
            Double width = m.required("widthM", n -> n.positiveDecimal(MAX_FLOOR_SIDE_M));
            Double depth = m.required("depthM", n -> n.positiveDecimal(MAX_FLOOR_SIDE_M));
            return width == null || depth == null ? Optional.empty() : Optional.of(new FloorPlan(width, depth));
        });
    }

    private Optional<List<Zone>> zones(NodeCursor c) {
        if (c.isEmptyList()) {
            c.report("needs at least one zone");
        }
        return c.eachOf(this::zone);
    }

    private Optional<Zone> zone(NodeCursor c) {
        return c.mapping(ZONE_KEYS).map(m -> remember(new Zone(
                m.required("id", n -> n.text(ZONE_ID, ZONE_ID_RULE)),
                m.required("name", NodeCursor::text),
                m.required("kind", n -> n.choice(ZoneKind.class)),
                orEmpty(m.required("polygon", this::polygon)),
                orEmpty(m.value("adjacent", n -> n.allOf(id -> id.text(ZONE_ID, ZONE_ID_RULE)), List.of()))),
                c));
    }

    private Optional<List<Point>> polygon(NodeCursor c) {
        return c.allOf(NodeCursor::point).filter(points -> {
            if (points.size() < 3) {
                c.report("has " + points.size() + " point(s); a polygon needs at least 3");
                return false;
            }
            if (Polygons.area(points) == 0) {
                c.report("encloses no area: its points lie on one line");
                return false;
            }
            return true;
        });
    }

    private Optional<Device> device(NodeCursor c) {
        return c.mapping(DEVICE_KEYS).map(m -> remember(new Device(
                m.required("id", n -> n.text(DEVICE_ID, DEVICE_ID_RULE)),
                m.required("kind", n -> n.choice(DeviceKind.class)),
                m.required("zone", n -> n.text(ZONE_ID, ZONE_ID_RULE)),
                m.required("position", NodeCursor::point),
                secrets.read(m, "secret", "secretEnv", MIN_DEVICE_SECRET_LENGTH).orElse(null)),
                c));
    }

    private Optional<Product> product(NodeCursor c) {
        return c.mapping(PRODUCT_KEYS).map(m -> remember(new Product(
                m.required("sku", n -> n.text(SKU, SKU_RULE)),
                m.required("name", NodeCursor::text),
                m.required("zone", n -> n.text(ZONE_ID, ZONE_ID_RULE))),
                c));
    }

    private Pickup pickup(MappingCursor m) {
        Duration serviceLevel = m.value("serviceLevel",
                n -> n.duration(MIN_SERVICE_LEVEL, MAX_SERVICE_LEVEL), DEFAULT_SERVICE_LEVEL);
        List<Pickup.PickupPoint> points = m.value("points", n -> n.eachOf(this::pickupPoint), List.of());
        return serviceLevel == null || points == null ? null : new Pickup(points, serviceLevel);
    }

    private Optional<Pickup.PickupPoint> pickupPoint(NodeCursor c) {
        return c.mapping(PICKUP_POINT_KEYS).map(m -> remember(new Pickup.PickupPoint(
                m.required("id", n -> n.text(ZONE_ID, ZONE_ID_RULE)),
                m.required("zone", n -> n.text(ZONE_ID, ZONE_ID_RULE)),
                m.required("nfcReader", n -> n.text(DEVICE_ID, DEVICE_ID_RULE))),
                c));
    }

    private <T> T remember(T element, NodeCursor c) {
        sourceMap.rememberElement(element, c.path());
        return element;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return Objects.requireNonNullElse(list, List.of());
    }
}
