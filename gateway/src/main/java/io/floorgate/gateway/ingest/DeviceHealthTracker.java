package io.floorgate.gateway.ingest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.floorgate.gateway.store.DeviceStateRow;
import io.floorgate.proto.v1.Heartbeat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Online / offline, last seen, battery and firmware of every device, from connections, heartbeats
 * and last wills. Owned by the ingest stage; the ops page will read it from here. Updated from several
 * event loops, so each device's cell is updated atomically through the map.
 */
public final class DeviceHealthTracker {

    private final Map<String, DeviceHealth> devices = new ConcurrentHashMap<>();
    /** Last-seen per device, written on every message: one atomic slot rather than a new record each time. */
    private final Map<String, AtomicLong> lastSeen = new ConcurrentHashMap<>();
    /** Kept alongside the map so that admitting a connection does not walk every device. */
    private final AtomicInteger online = new AtomicInteger();

    public DeviceHealthTracker(MeterRegistry metrics) {
        Gauge.builder("floorgate.devices.connected", this, DeviceHealthTracker::connectedCount)
                .description("Devices with an open MQTT connection").register(metrics);
    }

    DeviceStateRow connected(String deviceId, long nowMs) {
        devices.compute(deviceId, (id, old) -> {
            if (old == null || !old.online()) {
                online.incrementAndGet();
            }
            return old == null
                    ? new DeviceHealth(id, true, nowMs, 0, null, null)
                    : new DeviceHealth(id, true, nowMs, old.bootId(), old.batteryPct(), old.firmware());
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
            return new DeviceHealth(id, false, last, old.bootId(), old.batteryPct(), old.firmware());
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
            return new DeviceHealth(id, true, nowMs, hb.getBootId(), battery, firmware);
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
        DeviceHealth removed = devices.remove(deviceId);
        if (removed != null && removed.online()) {
            online.decrementAndGet();
        }
        lastSeen.remove(deviceId);
    }

    private long lastSeenMs(String deviceId, long fallback) {
        AtomicLong slot = lastSeen.get(deviceId);
        return slot == null ? fallback : slot.get();
    }

    /** Every device heard since start, as it is now, for the ops page. */
    public List<DeviceHealth> snapshot() {
        return devices.values().stream().map(h -> h.online()
                ? new DeviceHealth(h.deviceId(), true, lastSeenMs(h.deviceId(), h.lastSeenMs()), h.bootId(),
                        h.batteryPct(), h.firmware())
                : h).toList();
    }

    public int connectedCount() {
        return online.get();
    }

}
