package io.floorgate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One store's configuration, as loaded and validated from its YAML file by {@link StoreConfigLoader}.
 * Immutable: a reload produces a new instance, which the gateway swaps in whole.
 *
 * @param source   the file it was loaded from (for messages), or null when built in code
 * @param storeId  the store's id, used in MQTT topics; [A-Za-z0-9._-]{1,64}
 * @param chainId  the retail chain's id, used in upstream topics; same rule as storeId
 * @param name     a human name for the ops page
 * @param floorPlan the outline of the sales floor, metres
 * @param zones    the zones, each a polygon on the floor plan; ids unique
 * @param devices  the device registry; ids unique across the store
 * @param products products mapped to zones, for wayfinding; skus unique
 * @param pickup   pickup points and their service level
 * @param limits   per-device ingest limits
 * @param listeners where the gateway listens
 * @param ingest   group-commit tuning
 * @param upstream the chain's upstream broker
 * @param retention how long stored rows are kept
 * @param sessions  shopper sessions: inactivity, id rotation, the order system's token
 * @param staff     staff accounts for the ops page and how their logins behave
 * @param storage   the data directory's free-space floor, damaged-database policy and backups
 */
public record StoreConfig(
        Path source,
        String storeId,
        String chainId,
        String name,
        FloorPlan floorPlan,
        List<Zone> zones,
        List<Device> devices,
        List<Product> products,
        Pickup pickup,
        Limits limits,
        Listeners listeners,
        Ingest ingest,
        Upstream upstream,
        Retention retention,
        Sessions sessions,
        Staff staff,
        StoragePolicy storage) {

    public StoreConfig {
        zones = List.copyOf(zones);
        devices = List.copyOf(devices);
        products = List.copyOf(products);
    }

    /** A store built in code (tests, the simulator's generated stores) without staff accounts. */
    public StoreConfig(Path source, String storeId, String chainId, String name, FloorPlan floorPlan, List<Zone> zones,
                       List<Device> devices, List<Product> products, Pickup pickup, Limits limits,
                       Listeners listeners, Ingest ingest, Upstream upstream, Retention retention, Sessions sessions) {
        this(source, storeId, chainId, name, floorPlan, zones, devices, products, pickup, limits, listeners, ingest,
                upstream, retention, sessions, Staff.NONE);
    }

    /** A store built in code with staff accounts and the default storage policy. */
    public StoreConfig(Path source, String storeId, String chainId, String name, FloorPlan floorPlan, List<Zone> zones,
                       List<Device> devices, List<Product> products, Pickup pickup, Limits limits,
                       Listeners listeners, Ingest ingest, Upstream upstream, Retention retention, Sessions sessions,
                       Staff staff) {
        this(source, storeId, chainId, name, floorPlan, zones, devices, products, pickup, limits, listeners, ingest,
                upstream, retention, sessions, staff, StoragePolicy.DEFAULT);
    }

    public Optional<Device> device(String deviceId) {
        return devices.stream().filter(d -> d.id().equals(deviceId)).findFirst();
    }

    public Optional<Zone> zone(String zoneId) {
        return zones.stream().filter(z -> z.id().equals(zoneId)).findFirst();
    }

    /** Devices by id, for lookups on a hot path (build once per configuration). */
    public Map<String, Device> devicesById() {
        return devices.stream().collect(Collectors.toUnmodifiableMap(Device::id, Function.identity()));
    }

    /** The same configuration listening elsewhere: tests bind port 0, the CLI overrides ports. */
    public StoreConfig withListeners(Listeners newListeners) {
        return new StoreConfig(source, storeId, chainId, name, floorPlan, zones, devices, products,
                pickup, limits, newListeners, ingest, upstream, retention, sessions, staff, storage);
    }

    /** The same configuration with another storage policy: tests set a free-space floor or a backup interval. */
    public StoreConfig withStorage(StoragePolicy newStorage) {
        return new StoreConfig(source, storeId, chainId, name, floorPlan, zones, devices, products,
                pickup, limits, listeners, ingest, upstream, retention, sessions, staff, newStorage);
    }

    /** The same configuration with other session settings: a generated benchmark store gets an order-system token. */
    public StoreConfig withSessions(Sessions newSessions) {
        return new StoreConfig(source, storeId, chainId, name, floorPlan, zones, devices, products,
                pickup, limits, listeners, ingest, upstream, retention, newSessions, staff, storage);
    }
}
