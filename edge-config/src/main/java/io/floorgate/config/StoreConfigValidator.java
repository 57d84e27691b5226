package io.floorgate.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rules between fields of a store file: unique ids, references to zones and devices, positions on the floor
 * plan, and settings that bound each other. Runs on the reader's draft even when the reader found problems, so
 * that one run reports everything; fields the reader left null are skipped here, their problem already reported.
 */
final class StoreConfigValidator {

    /** Receivers hang on walls and shelf ends: a metre of slack lets one sit on its zone's edge. */
    static final double MAX_DEVICE_DISTANCE_FROM_ZONE_M = 1.0;

    private final StoreConfig draft;
    private final SourceMap sourceMap;
    private final Problems problems;

    private StoreConfigValidator(StoreConfig draft, Problems problems) {
        this.draft = draft;
        this.sourceMap = problems.sourceMap();
        this.problems = problems;
    }

    static void validate(StoreConfig draft, Problems problems) {
        new StoreConfigValidator(draft, problems).run();
    }

    private void run() {
        Map<String, Zone> zones = unique(draft.zones(), Zone::id, "id", "zone id");
        Map<String, Device> devices = unique(draft.devices(), Device::id, "id", "device id");
        unique(draft.products(), Product::sku, "sku", "sku");
        if (draft.pickup() != null) {
            unique(draft.pickup().points(), Pickup.PickupPoint::id, "id", "pickup point id");
        }
        draft.zones().forEach(zone -> checkZone(zone, zones));
        draft.devices().forEach(device -> checkDevice(device, zones));
        draft.products().forEach(product -> checkZoneReference(sourceMap.pathOf(product), product.zone(), zones));
        if (draft.pickup() != null) {
            draft.pickup().points().forEach(point -> checkPickupPoint(point, zones, devices));
        }
        if (draft.listeners() != null) {
            checkPortsDiffer(draft.listeners());
        }
        if (draft.staff() != null) {
            checkStaff(draft.staff());
        }
        if (draft.retention() != null) {
            checkAuditRetention(draft.retention());
        }
        if (draft.storage() != null) {
            checkStorage(draft.storage());
        }
        if (draft.limits() != null && draft.limits().maxConnections() < draft.limits().maxDevicesConnected()) {
            problems.report("limits.maxConnections", "is " + draft.limits().maxConnections()
                    + "; must be at least maxDevicesConnected (" + draft.limits().maxDevicesConnected()
                    + "), or some devices could never connect");
        }
        if (draft.ingest() != null && draft.ingest().queueCapacity() < draft.ingest().commitMaxBatch()) {
            problems.report("ingest.queueCapacity", "is " + draft.ingest().queueCapacity()
                    + "; must be at least commitMaxBatch (" + draft.ingest().commitMaxBatch()
                    + ") so that a full batch fits in the queue");
        }
    }

    /**
     * The audit log says who looked at a shopper's data: it must be kept at least as long as any of that data, or
     * staff access to rows still held could no longer be told.
     */
    private void checkAuditRetention(Retention retention) {
        Map<String, Duration> shopperData = new LinkedHashMap<>();
        shopperData.put("sessions", retention.sessions());
        shopperData.put("zoneVisits", retention.zoneVisits());
        shopperData.put("touches", retention.touches());
        shopperData.put("orders", retention.orders());
        shopperData.forEach((field, kept) -> {
            if (retention.audit().compareTo(kept) < 0) {
                problems.report("retention.audit", "is " + DurationText.format(retention.audit())
                        + ", shorter than retention." + field + " (" + DurationText.format(kept)
                        + "); the audit log must be kept at least as long as the shopper data it is about");
            }
        });
    }

    private void checkStaff(Staff staff) {
        unique(staff.accounts(), StaffAccount::id, "id", "staff id");
        StaffSessionPolicy sessions = staff.sessions();
        if (sessions.idleTimeout().compareTo(sessions.absoluteTimeout()) > 0) {
            problems.report("staffSessions.idleTimeout", "is " + DurationText.format(sessions.idleTimeout())
                    + ", longer than absoluteTimeout (" + DurationText.format(sessions.absoluteTimeout())
                    + "); a session cannot stay idle longer than it may last");
        }
    }

    private void checkStorage(StoragePolicy storage) {
        if (storage.onDamaged() == StoragePolicy.OnDamaged.RESTORE_LATEST_BACKUP && !storage.takesBackups()) {
            problems.report("storage.onDamaged", "is " + NodeCursor.yamlName(storage.onDamaged())
                    + " but backupsKept is 0: there would never be a backup to restore; keep at least 1");
        }
    }

    /** The elements by key, first one winning; later ones with the same key are reported. */
    private <T> Map<String, T> unique(List<T> elements, Function<T, String> key, String field, String what) {
        Map<String, T> byKey = new LinkedHashMap<>();
        for (T element : elements) {
            String k = key.apply(element);
            if (k == null) {
                continue;
            }
            T first = byKey.putIfAbsent(k, element);
            if (first != null) {
                String firstPath = sourceMap.pathOf(first) + "." + field;
                int firstLine = sourceMap.markOf(firstPath).map(m -> m.getLine() + 1).orElse(0);
                problems.report(sourceMap.pathOf(element) + "." + field,
                        "duplicate " + what + " '" + k + "'; first used at line " + firstLine);
            }
        }
        return byKey;
    }

    private void checkZone(Zone zone, Map<String, Zone> zones) {
        String path = sourceMap.pathOf(zone);
        for (int i = 0; i < zone.polygon().size(); i++) {
            checkOnFloorPlan(path + ".polygon[" + i + "]", zone.polygon().get(i));
        }
        for (int i = 0; i < zone.adjacent().size(); i++) {
            String other = zone.adjacent().get(i);
            String field = path + ".adjacent[" + i + "]";
            if (other.equals(zone.id())) {
                problems.report(field, "a zone cannot be adjacent to itself");
            } else {
                checkZoneReference(field, other, zones);
            }
        }
    }

    private void checkDevice(Device device, Map<String, Zone> zones) {
        String path = sourceMap.pathOf(device);
        boolean zoneKnown = checkZoneReference(path + ".zone", device.zone(), zones);
        if (device.position() == null || !checkOnFloorPlan(path + ".position", device.position())) {
            return;
        }
        Zone zone = zoneKnown ? zones.get(device.zone()) : null;
        if (zone != null && !zone.polygon().isEmpty()) {
            double distance = Polygons.distance(zone, device.position());
            if (distance > MAX_DEVICE_DISTANCE_FROM_ZONE_M) {
                problems.report(path + ".position", String.format(
                        "%s is %.1f m outside its zone '%s'; a device must be inside it or within %.0f m of it",
                        describe(device.position()), distance, zone.id(), MAX_DEVICE_DISTANCE_FROM_ZONE_M));
            }
        }
    }

    private void checkPickupPoint(Pickup.PickupPoint point, Map<String, Zone> zones, Map<String, Device> devices) {
        String path = sourceMap.pathOf(point);
        if (checkZoneReference(path + ".zone", point.zone(), zones)
                && zones.get(point.zone()).kind() != null && zones.get(point.zone()).kind() != ZoneKind.PICKUP) {
            problems.report(path + ".zone", "zone '" + point.zone() + "' is of kind "
                    + NodeCursor.yamlName(zones.get(point.zone()).kind()) + "; a pickup point needs a zone of kind "
                    + NodeCursor.yamlName(ZoneKind.PICKUP));
        }
        if (point.nfcReader() == null) {
            return;
        }
        Device reader = devices.get(point.nfcReader());
        if (reader == null) {
            problems.report(path + ".nfcReader", "no device has the id '" + point.nfcReader() + "'");
        } else if (reader.kind() != null && reader.kind() != DeviceKind.NFC_READER) {
            problems.report(path + ".nfcReader", "device '" + reader.id() + "' is a "
                    + NodeCursor.yamlName(reader.kind()) + "; hand-off is confirmed by a device of kind "
                    + NodeCursor.yamlName(DeviceKind.NFC_READER));
        }
    }

    /** @return true when the zone exists; false when it does not (reported) or the reference itself was wrong */
    private boolean checkZoneReference(String field, String zoneId, Map<String, Zone> zones) {
        if (zoneId == null) {
            return false;
        }
        if (!zones.containsKey(zoneId)) {
            problems.report(field, "no zone has the id '" + zoneId + "'; zones are: "
                    + String.join(", ", zones.keySet()));
            return false;
        }
        return true;
    }

    /** @return true when the point is on the floor plan or the floor plan itself was wrong (reported) */
    private boolean checkOnFloorPlan(String field, Point p) {
        FloorPlan plan = draft.floorPlan();
        if (plan == null) {
            return true;
        }
        boolean inside = p.x() >= 0 && p.y() >= 0 && p.x() <= plan.widthM() && p.y() <= plan.depthM();
        if (!inside) {
            problems.report(field, describe(p) + " is outside the floor plan, which spans x 0.." + metres(plan.widthM())
                    + " and y 0.." + metres(plan.depthM()) + " m");
        }
        return inside;
    }

    private void checkPortsDiffer(Listeners listeners) {
        Map<Integer, String> fieldByPort = new HashMap<>();
        checkPortFree(fieldByPort, listeners.mqttPort(), "listeners.mqttPort");
        checkPortFree(fieldByPort, listeners.httpPort(), "listeners.httpPort");
        listeners.tls().ifPresent(tls -> checkPortFree(fieldByPort, tls.port(), "listeners.tls.port"));
    }

    /** Port 0 asks the system for any free port, so it may appear more than once. */
    private void checkPortFree(Map<Integer, String> fieldByPort, int port, String field) {
        if (port == 0) {
            return;
        }
        String other = fieldByPort.putIfAbsent(port, field);
        if (other != null) {
            problems.report(field, "port " + port + " is already used by " + other);
        }
    }

    private static String describe(Point p) {
        return "[" + metres(p.x()) + ", " + metres(p.y()) + "]";
    }

    /** 5 rather than 5.0: the way the file most likely wrote it. */
    private static String metres(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
