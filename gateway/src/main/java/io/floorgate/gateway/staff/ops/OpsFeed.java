package io.floorgate.gateway.staff.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.floorgate.config.Device;
import io.floorgate.config.Point;
import io.floorgate.config.StaffRole;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.Zone;
import io.floorgate.gateway.api.Caller;
import io.floorgate.gateway.api.StaffAuthenticator;
import io.floorgate.gateway.ingest.DeviceHealth;
import io.floorgate.gateway.location.ZoneOccupancy;
import io.floorgate.gateway.pickup.Order;
import io.floorgate.gateway.pickup.OrderState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The ops page's live stream: every {@link #TICK_MS} it reads each widget's state from the stages' read views, and
 * sends each open page the widgets whose state changed since that page last got them. So a page receives each
 * widget at most {@code 1000 / TICK_MS} times a second whatever the load, and nothing while the store is quiet.
 *
 * <p>Roles are checked before every message: at each tick the page's opening request is authenticated again (a
 * logout or an expiry closes the socket) and a widget goes only to a member whose role is at least the widget's.
 *
 * <p>Threads: the tick runs on one event loop and only reads thread-safe views; sockets are registered and removed
 * from event loops through a concurrent map. A page whose socket's write queue is full is skipped for that widget
 * (counted); it gets the state then current at a later tick, as a page that reconnects does.
 */
final class OpsFeed {

    /** About three updates a second per widget at most: live to a person, cheap for the gateway. */
    static final long TICK_MS = 300;
    /** Pages open at once; a store has a few tablets and desktops, so more is a leak or an attack. */
    static final int MAX_PAGES = 64;
    /** Queue rows sent; the rest are counted in {@code more}. The oldest arrivals come first. */
    static final int MAX_QUEUE_ROWS = 100;
    /** Alerts sent, newest first. */
    static final int MAX_ALERTS = 50;

    /** A widget of the page and the least role that may receive it. */
    enum Widget {
        LAYOUT("layout", StaffRole.ASSOCIATE),
        FLOOR("floor", StaffRole.ASSOCIATE),
        DEVICES("devices", StaffRole.ASSOCIATE),
        QUEUE("queue", StaffRole.ASSOCIATE),
        ALERTS("alerts", StaffRole.ASSOCIATE),
        /** The store at a glance for managers: shoppers now, orders waiting, the longest wait, devices down. */
        SUMMARY("summary", StaffRole.MANAGER);

        final String type;
        final StaffRole role;

        Widget(String type, StaffRole role) {
            this.type = type;
            this.role = role;
        }
    }

    /**
     * One open page and the request that opened it, whose staff cookie is checked again at every tick. {@code sent}
     * is read and written on the tick's loop only.
     */
    private static final class Page {
        final ServerWebSocket socket;
        final HttpServerRequest opening;
        final String[] sent = new String[Widget.values().length];

        Page(ServerWebSocket socket, HttpServerRequest opening) {
            this.socket = socket;
            this.opening = opening;
        }
    }

    private final Vertx vertx;
    private final OpsSources sources;
    private final StaffAuthenticator staff;
    private final LongSupplier clockMs;
    private final Map<ServerWebSocket, Page> pages = new ConcurrentHashMap<>();
    private final Counter skipped;
    // Owned by the tick's loop: the last state of each widget, as data and as the message that carries it.
    private final String[] data = new String[Widget.values().length];
    private final String[] messages = new String[Widget.values().length];
    private StoreConfig layoutOf;
    private long timer = -1;

    OpsFeed(Vertx vertx, OpsSources sources, StaffAuthenticator staff, LongSupplier clockMs, MeterRegistry metrics) {
        this.vertx = vertx;
        this.sources = sources;
        this.staff = staff;
        this.clockMs = clockMs;
        this.skipped = Counter.builder("floorgate.ops.stream.skipped")
                .description("Ops page updates not written because the page's socket was full; sent at a later tick")
                .register(metrics);
    }

    void start() {
        timer = vertx.setPeriodic(TICK_MS, id -> tick());
    }

    void stop() {
        vertx.cancelTimer(timer);
        pages.keySet().forEach(ServerWebSocket::close);
    }

    /** False when {@link #MAX_PAGES} are open already. */
    boolean add(ServerWebSocket socket, HttpServerRequest opening) {
        if (pages.size() >= MAX_PAGES) {
            return false;
        }
        pages.put(socket, new Page(socket, opening));
        socket.closeHandler(v -> pages.remove(socket));
        return true;
    }

    int pageCount() {
        return pages.size();
    }

    private void tick() {
        if (pages.isEmpty()) {
            return;
        }
        StoreConfig config = sources.config().get();
        if (config != layoutOf) {
            layoutOf = config;
            update(Widget.LAYOUT, layout(config));
        }
        List<Order> open = sources.queue().openOrders();
        List<DeviceHealth> devices = sources.devices().devices();
        update(Widget.FLOOR, floor(config));
        update(Widget.DEVICES, devices(config, devices));
        update(Widget.QUEUE, queue(open, config));
        update(Widget.ALERTS, alerts());
        update(Widget.SUMMARY, summary(open, devices));
        pages.values().forEach(this::send);
    }

    private JsonObject summary(List<Order> openOrders, List<DeviceHealth> devices) {
        int linked = 0;
        int anonymous = 0;
        for (ZoneOccupancy o : sources.location().occupancy().values()) {
            linked += o.linked();
            anonymous += o.anonymous();
        }
        long arrived = openOrders.stream().filter(o -> o.state() == OrderState.ARRIVED).count();
        long oldestArrivalMs = openOrders.stream().filter(o -> o.state() == OrderState.ARRIVED)
                .mapToLong(o -> o.arrivedAtMs().getAsLong()).min().orElse(0);
        long offline = devices.stream().filter(d -> !d.online()).count();
        JsonObject summary = new JsonObject().put("linked", linked).put("anonymous", anonymous)
                .put("openOrders", openOrders.size()).put("arrived", arrived).put("devicesOffline", offline);
        if (oldestArrivalMs > 0) {
            summary.put("oldestArrivalAt", oldestArrivalMs);
        }
        return summary;
    }

    private void update(Widget widget, Object state) {
        String encoded = state instanceof JsonObject o ? o.encode() : ((JsonArray) state).encode();
        int i = widget.ordinal();
        if (!encoded.equals(data[i])) {
            data[i] = encoded;
            messages[i] = "{\"type\":\"" + widget.type + "\",\"at\":" + clockMs.getAsLong() + ",\"data\":" + encoded
                    + "}";
        }
    }

    private void send(Page page) {
        Optional<Caller.Staff> member = staff.authenticate(page.opening);
        if (member.isEmpty()) {
            pages.remove(page.socket);
            page.socket.close((short) 4401, "staff session ended");
            return;
        }
        for (Widget widget : Widget.values()) {
            int i = widget.ordinal();
            String message = messages[i];
            if (message == null || message == page.sent[i] || !member.get().role().includes(widget.role)) {
                continue;
            }
            if (page.socket.isClosed()) {
                return;
            }
            if (page.socket.writeQueueFull()) {
                skipped.increment();
                continue;
            }
            page.socket.writeTextMessage(message);
            page.sent[i] = message;
        }
    }

    static JsonObject layout(StoreConfig config) {
        JsonArray zones = new JsonArray();
        for (Zone zone : config.zones()) {
            JsonArray polygon = new JsonArray();
            zone.polygon().forEach(p -> polygon.add(point(p)));
            zones.add(new JsonObject().put("id", zone.id()).put("name", zone.name())
                    .put("kind", zone.kind().name().toLowerCase(Locale.ROOT)).put("polygon", polygon)
                    .put("label", point(zone.centre())));
        }
        JsonArray devices = new JsonArray();
        for (Device device : config.devices()) {
            devices.add(new JsonObject().put("id", device.id()).put("kind", kind(device))
                    .put("zone", device.zone()).put("position", point(device.position())));
        }
        return new JsonObject().put("storeId", config.storeId()).put("name", config.name())
                .put("widthM", config.floorPlan().widthM()).put("depthM", config.floorPlan().depthM())
                .put("serviceLevelS", config.pickup().serviceLevel().toSeconds())
                .put("zones", zones).put("devices", devices);
    }

    private JsonObject floor(StoreConfig config) {
        Map<String, ZoneOccupancy> occupancy = sources.location().occupancy();
        JsonObject zones = new JsonObject();
        for (Zone zone : config.zones()) {
            ZoneOccupancy o = occupancy.getOrDefault(zone.id(), new ZoneOccupancy(0, 0));
            zones.put(zone.id(), new JsonArray().add(o.linked()).add(o.anonymous()));
        }
        return new JsonObject().put("zones", zones);
    }

    /** Every configured device, heard or not, in the configuration's order. */
    private static JsonArray devices(StoreConfig config, List<DeviceHealth> health) {
        Map<String, Device> configured = config.devicesById();
        JsonArray rows = new JsonArray();
        for (DeviceHealth d : health) {
            Device device = configured.get(d.deviceId());
            JsonObject row = new JsonObject().put("id", d.deviceId()).put("online", d.online())
                    .put("rejected", d.rejectedInputs());
            if (device != null) {
                row.put("kind", kind(device)).put("zone", device.zone());
            }
            d.lastSeenMs().ifPresent(ms -> row.put("lastSeen", ms));
            d.batteryPct().ifPresent(pct -> row.put("battery", pct));
            d.firmware().ifPresent(f -> row.put("firmware", f));
            rows.add(row);
        }
        return rows;
    }

    private static JsonObject queue(List<Order> open, StoreConfig config) {
        List<Order> sorted = new ArrayList<>(open);
        sorted.sort(Comparator.comparingInt((Order o) -> rank(o.state())).thenComparingLong(OpsFeed::since));
        JsonArray rows = new JsonArray();
        sorted.stream().limit(MAX_QUEUE_ROWS).forEach(o -> {
            JsonObject row = new JsonObject().put("id", o.id()).put("state", o.state().name())
                    .put("point", o.pickupPointId()).put("customer", o.customer().label()).put("readyAt", o.readyAtMs());
            o.onTheWayAtMs().ifPresent(ms -> row.put("onTheWayAt", ms));
            o.etaMinutes().ifPresent(eta -> row.put("etaMinutes", eta));
            o.arrivedAtMs().ifPresent(ms -> row.put("arrivedAt", ms));
            rows.add(row);
        });
        return new JsonObject().put("orders", rows).put("more", Math.max(0, sorted.size() - MAX_QUEUE_ROWS))
                .put("serviceLevelS", config.pickup().serviceLevel().toSeconds());
    }

    /** Arrived first (they wait at the counter), then on the way, then ready. */
    private static int rank(OrderState state) {
        return switch (state) {
            case ARRIVED -> 0;
            case ON_THE_WAY -> 1;
            default -> 2;
        };
    }

    private static long since(Order o) {
        return o.arrivedAtMs().orElse(o.onTheWayAtMs().orElse(o.readyAtMs()));
    }

    private JsonArray alerts() {
        JsonArray rows = new JsonArray();
        sources.alerts().current().stream().limit(MAX_ALERTS).forEach(a -> {
            JsonObject row = new JsonObject().put("id", a.id()).put("kind", a.kind()).put("subject", a.subject())
                    .put("message", a.message()).put("raisedAt", a.raisedAtMs());
            a.acknowledgedBy().ifPresent(by -> row.put("ackBy", by));
            a.acknowledgedAtMs().ifPresent(at -> row.put("ackAt", at));
            rows.add(row);
        });
        return rows;
    }

    private static JsonArray point(Point p) {
        return new JsonArray().add(p.x()).add(p.y());
    }

    private static String kind(Device device) {
        return device.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
