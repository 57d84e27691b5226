package io.floorgate.gateway.ingest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.floorgate.config.Device;
import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.store.DeviceStateRow;
import io.floorgate.proto.v1.Heartbeat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Online / offline, last seen, battery and firmware of every device, from connections, heartbeats
 * and last wills. Owned by the ingest stage, and read through {@link DeviceHealthQuery}. Updated from several
 * event loops, so each device's cell is updated atomically through the map; a reader takes each device's cell and
 * last-seen slot as they are, so the two may be one message apart, never torn.
 */
public final class DeviceHealthTracker implements DeviceHealthQuery {

    /** What the last connection, status and heartbeat said; the fields of a heartbeat are null before the first. */
    private record Cell(boolean online, Long bootId, Integer batteryPct, String firmware) {
    }

    private final Supplier<StoreConfig> config;
    private final RejectionQuery rejections;
    private final Map<String, Cell> devices = new ConcurrentHashMap<>();
    /** Last-seen per device, written on every message: one atomic slot rather than a new record each time. */
    private final Map<String, AtomicLong> lastSeen = new ConcurrentHashMap<>();
    /** Kept alongside the map so that admitting a connection does not walk every device. */
    private final AtomicInteger online = new AtomicInteger();

    /**
     * @param config     the configuration in force (it may be reloaded): which devices the query answers
     * @param rejections ingest's refusals, for each device's count
     */
    public DeviceHealthTracker(Supplier<StoreConfig> config, RejectionQuery rejections, MeterRegistry metrics) {
        this.config = config;
        this.rejections = rejections;
        Gauge.builder("floorgate.devices.connected", this, DeviceHealthTracker::connectedCount)
                .description("Devices with an open MQTT connection").register(metrics);
    }

    DeviceStateRow connected(String deviceId, long nowMs) {
        devices.compute(deviceId, (id, old) -> {
            if (old == null || !old.online()) {
                online.incrementAndGet();
            }
            return old == null
                    ? new Cell(true, null, null, null)
                    : new Cell(true, old.bootId(), old.batteryPct(), old.firmware());
        });
        seen(deviceId, nowMs);
        return DeviceStateRow.presence(deviceId, true, nowMs);
    }

    DeviceStateRow disconnected(String deviceId, long nowMs) {
        long last = lastSeenMs(deviceId, nowMs);
        devices.computeIfPresent(deviceId, (id, old) -> {
            if (old.online()) {
                online.decrementAndGet();
            }
            return new Cell(false, old.bootId(), old.batteryPct(), old.firmware());
        });
        return DeviceStateRow.presence(deviceId, false, last);
    }

    DeviceStateRow heartbeat(Heartbeat hb, long nowMs) {
        Integer battery = hb.hasBatteryPct() ? hb.getBatteryPct() : null;
        String firmware = hb.getFirmware().isEmpty() ? null : hb.getFirmware();
        devices.compute(hb.getDeviceId(), (id, old) -> {
            if (old == null || !old.online()) {
                online.incrementAndGet();
            }
            return new Cell(true, hb.getBootId(), battery, firmware);
        });
        seen(hb.getDeviceId(), nowMs);
        return new DeviceStateRow(hb.getDeviceId(), true, nowMs, hb.getBootId(), battery, firmware, hb.getUptimeS(),
                hb.hasWifiRssiDbm() ? hb.getWifiRssiDbm() : null);
    }

    void seen(String deviceId, long nowMs) {
        lastSeen.computeIfAbsent(deviceId, id -> new AtomicLong()).lazySet(nowMs);
    }

    /** Forgets a device that was removed from the configuration. */
    void forget(String deviceId) {
        Cell removed = devices.remove(deviceId);
        if (removed != null && removed.online()) {
            online.decrementAndGet();
        }
        lastSeen.remove(deviceId);
    }

    private long lastSeenMs(String deviceId, long fallback) {
        AtomicLong slot = lastSeen.get(deviceId);
        return slot == null ? fallback : slot.get();
    }

    boolean isOnline(String deviceId) {
        Cell cell = devices.get(deviceId);
        return cell != null && cell.online();
    }

    public int connectedCount() {
        return online.get();
    }

    @Override
    public List<DeviceHealth> devices() {
        Map<String, Long> rejected = rejections.rejectedByDevice();
        return config.get().devices().stream().map(d -> health(d, rejected)).toList();
    }

    @Override
    public Optional<DeviceHealth> device(String deviceId) {
        return config.get().device(deviceId).map(d -> health(d, rejections.rejectedByDevice()));
    }

    private DeviceHealth health(Device device, Map<String, Long> rejected) {
        String id = device.id();
        Cell cell = devices.get(id);
        AtomicLong seen = lastSeen.get(id);
        return new DeviceHealth(id, cell != null && cell.online(),
                seen == null ? OptionalLong.empty() : OptionalLong.of(seen.get()),
                cell == null || cell.bootId() == null ? OptionalLong.empty() : OptionalLong.of(cell.bootId()),
                cell == null || cell.batteryPct() == null ? OptionalInt.empty() : OptionalInt.of(cell.batteryPct()),
                Optional.ofNullable(cell == null ? null : cell.firmware()), rejected.getOrDefault(id, 0L));
    }
}
