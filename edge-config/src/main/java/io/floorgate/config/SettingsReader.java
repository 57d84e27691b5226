package io.floorgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the gateway's settings sections (limits, listeners, ingest, upstream, retention, sessions). Every field has a default,
 * so each section may be left out; a section with a wrong field reads as null (the problem is reported).
 */
final class SettingsReader {

    static final List<String> LIMITS_KEYS =
            List.of("maxEventBytes", "devicePublishRate", "devicePublishBurst", "maxDevicesConnected");
    static final List<String> LISTENERS_KEYS = List.of("host", "mqttPort", "httpPort", "tls", "httpTls");
    static final List<String> TLS_KEYS = List.of("port", "cert", "key");
    static final List<String> HTTP_TLS_KEYS = List.of("cert", "key");
    static final List<String> INGEST_KEYS = List.of("commitInterval", "commitMaxBatch", "queueCapacity");
    static final List<String> UPSTREAM_KEYS = List.of("brokerUri", "clientId", "summaryWindow", "outboxMaxRows",
            "outboxMaxAge", "hashKey", "hashKeyEnv");
    static final List<String> RETENTION_KEYS = List.of("deviceEvents", "zoneVisits", "sessions", "orders", "outbox",
            "touches");
    static final List<String> SESSIONS_KEYS = List.of("inactivityTimeout", "rotationPeriod", "systemClientToken",
            "systemClientTokenEnv");

    static final int DEFAULT_MAX_EVENT_BYTES = 16 * 1024;
    static final int MIN_MAX_EVENT_BYTES = 64;
    static final int MAX_MAX_EVENT_BYTES = 1024 * 1024;
    static final double DEFAULT_DEVICE_PUBLISH_RATE = 50;
    static final double MAX_DEVICE_PUBLISH_RATE = 100_000;
    static final int DEFAULT_DEVICE_PUBLISH_BURST = 200;
    static final int DEFAULT_MAX_DEVICES_CONNECTED = 20_000;

    static final String DEFAULT_HOST = "0.0.0.0";
    static final int DEFAULT_MQTT_PORT = 1883;
    static final int DEFAULT_HTTP_PORT = 8080;
    static final int DEFAULT_TLS_PORT = 8883;
    static final int MAX_PORT = 65_535;

    static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(2);
    static final Duration MIN_COMMIT_INTERVAL = Duration.ofMillis(1);
    static final Duration MAX_COMMIT_INTERVAL = Duration.ofSeconds(1);
    static final int DEFAULT_COMMIT_MAX_BATCH = 1000;
    static final int MAX_COMMIT_MAX_BATCH = 100_000;
    static final int DEFAULT_QUEUE_CAPACITY = 20_000;

    static final String CLIENT_ID_PREFIX = "floorgate-";
    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final String CLIENT_ID_RULE = "1 to 128 letters, digits, '.', '_', ':' or '-'";
    static final Set<String> BROKER_SCHEMES = Set.of("tcp", "ssl", "ws", "wss");
    static final Duration DEFAULT_SUMMARY_WINDOW = Duration.ofSeconds(60);
    static final Duration MIN_SUMMARY_WINDOW = Duration.ofSeconds(1);
    static final Duration MAX_SUMMARY_WINDOW = Duration.ofHours(1);
    static final long DEFAULT_OUTBOX_MAX_ROWS = 100_000;
    static final Duration DEFAULT_OUTBOX_MAX_AGE = Duration.ofDays(7);
    /** HMAC keys shorter than this are open to brute force over the small space of shopper identifiers. */
    static final int MIN_HASH_KEY_LENGTH = 16;
    /**
     * Used only when the store has no upstream broker: then no hashed identifier leaves the store, and the demo
     * runs without setup. A store with an uplink must configure its own key, so this one never protects anything.
     */
    static final String DEMO_HASH_KEY = "floorgate-demo-hash-key-not-a-secret";

    static final Duration MIN_RETENTION = Duration.ofMinutes(1);
    static final Duration DEFAULT_DEVICE_EVENTS_RETENTION = Duration.ofDays(30);
    static final Duration DEFAULT_ZONE_VISITS_RETENTION = Duration.ofDays(30);
    static final Duration DEFAULT_SESSIONS_RETENTION = Duration.ofDays(7);
    static final Duration DEFAULT_ORDERS_RETENTION = Duration.ofDays(90);
    static final Duration DEFAULT_OUTBOX_RETENTION = Duration.ofDays(7);
    /** As long as the raw device events the touches are. */
    static final Duration DEFAULT_TOUCHES_RETENTION = DEFAULT_DEVICE_EVENTS_RETENTION;

    static final Duration DEFAULT_INACTIVITY_TIMEOUT = Duration.ofMinutes(30);
    static final Duration MIN_INACTIVITY_TIMEOUT = Duration.ofMinutes(1);
    static final Duration MAX_INACTIVITY_TIMEOUT = Duration.ofDays(7);
    static final Duration DEFAULT_ROTATION_PERIOD = Duration.ofSeconds(60);
    /** Shorter slots cost the app battery and widen the resolver's three-slot window for little privacy gain. */
    static final Duration MIN_ROTATION_PERIOD = Duration.ofSeconds(10);
    /** Longer than an hour, one advertised id follows a shopper through most of a visit. */
    static final Duration MAX_ROTATION_PERIOD = Duration.ofHours(1);
    /** The order system's token guards every order in the store; 24 characters keeps it out of brute-force reach. */
    static final int MIN_SYSTEM_CLIENT_TOKEN_LENGTH = 24;

    private final SecretReader secrets;
    private final Path baseDir;

    SettingsReader(SecretReader secrets, Path baseDir) {
        this.secrets = secrets;
        this.baseDir = baseDir;
    }

    Limits limits(MappingCursor m) {
        Integer maxEventBytes = m.value("maxEventBytes",
                n -> n.integer(MIN_MAX_EVENT_BYTES, MAX_MAX_EVENT_BYTES), DEFAULT_MAX_EVENT_BYTES);
        Double rate = m.value("devicePublishRate",
                n -> n.positiveDecimal(MAX_DEVICE_PUBLISH_RATE), DEFAULT_DEVICE_PUBLISH_RATE);
        Integer burst = m.value("devicePublishBurst",
                n -> n.integer(1, Integer.MAX_VALUE), DEFAULT_DEVICE_PUBLISH_BURST);
        Integer maxDevices = m.value("maxDevicesConnected",
                n -> n.integer(1, Integer.MAX_VALUE), DEFAULT_MAX_DEVICES_CONNECTED);
        return anyNull(maxEventBytes, rate, burst, maxDevices)
                ? null
                : new Limits(maxEventBytes, rate, burst, maxDevices);
    }

    Listeners listeners(MappingCursor m) {
        String host = m.value("host", NodeCursor::text, DEFAULT_HOST);
        Integer mqttPort = m.value("mqttPort", n -> n.integer(0, MAX_PORT), DEFAULT_MQTT_PORT);
        Integer httpPort = m.value("httpPort", n -> n.integer(0, MAX_PORT), DEFAULT_HTTP_PORT);
        Optional<Listeners.Tls> tls = m.value("tls",
                n -> n.mapping(TLS_KEYS).flatMap(this::tls).map(Optional::of), Optional.empty());
        Optional<Listeners.HttpTls> httpTls = m.value("httpTls",
                n -> n.mapping(HTTP_TLS_KEYS).flatMap(this::httpTls).map(Optional::of), Optional.empty());
        return anyNull(host, mqttPort, httpPort, tls, httpTls)
                ? null
                : new Listeners(host, mqttPort, httpPort, tls, httpTls);
    }

    private Optional<Listeners.Tls> tls(MappingCursor m) {
        Integer port = m.value("port", n -> n.integer(0, MAX_PORT), DEFAULT_TLS_PORT);
        Path cert = m.required("cert", this::readableFile);
        Path key = m.required("key", this::readableFile);
        return anyNull(port, cert, key) ? Optional.empty() : Optional.of(new Listeners.Tls(port, cert, key));
    }

    private Optional<Listeners.HttpTls> httpTls(MappingCursor m) {
        Path cert = m.required("cert", this::readableFile);
        Path key = m.required("key", this::readableFile);
        return anyNull(cert, key) ? Optional.empty() : Optional.of(new Listeners.HttpTls(cert, key));
    }

    /** A path relative to the config file's directory, so a store's files can travel together. */
    private Optional<Path> readableFile(NodeCursor c) {
        return c.text().flatMap(text -> {
            Path path;
            try {
                path = baseDir.resolve(text).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                c.report("'" + text + "' is not a valid path: " + e.getReason());
                return Optional.empty();
            }
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                c.report("no readable file at " + path);
                return Optional.empty();
            }
            return Optional.of(path);
        });
    }

    Ingest ingest(MappingCursor m) {
        Duration interval = m.value("commitInterval",
                n -> n.duration(MIN_COMMIT_INTERVAL, MAX_COMMIT_INTERVAL), DEFAULT_COMMIT_INTERVAL);
        Integer maxBatch = m.value("commitMaxBatch", n -> n.integer(1, MAX_COMMIT_MAX_BATCH), DEFAULT_COMMIT_MAX_BATCH);
        Integer capacity = m.value("queueCapacity", n -> n.integer(1, Integer.MAX_VALUE), DEFAULT_QUEUE_CAPACITY);
        return anyNull(interval, maxBatch, capacity) ? null : new Ingest(interval, maxBatch, capacity);
    }

    /** @param storeId the store's id for the default client id, null when it is wrong (reported elsewhere) */
    Upstream upstream(MappingCursor m, String storeId) {
        Optional<NodeCursor> brokerField = m.optional("brokerUri");
        Optional<String> brokerUri = brokerField.flatMap(this::brokerUri);
        String defaultClientId = storeId == null ? null : CLIENT_ID_PREFIX + storeId;
        String clientId = m.value("clientId", n -> n.text(CLIENT_ID, CLIENT_ID_RULE), defaultClientId);
        Duration window = m.value("summaryWindow",
                n -> n.duration(MIN_SUMMARY_WINDOW, MAX_SUMMARY_WINDOW), DEFAULT_SUMMARY_WINDOW);
        Long maxRows = m.value("outboxMaxRows", n -> n.longInteger(1, Long.MAX_VALUE), DEFAULT_OUTBOX_MAX_ROWS);
        Duration maxAge = m.value("outboxMaxAge", n -> n.duration(MIN_RETENTION, null), DEFAULT_OUTBOX_MAX_AGE);
        String hashKey;
        if (SecretReader.isGiven(m, "hashKey", "hashKeyEnv")) {
            hashKey = secrets.read(m, "hashKey", "hashKeyEnv", MIN_HASH_KEY_LENGTH).orElse(null);
        } else if (brokerField.isPresent()) {
            m.report("hashKey", "is required when brokerUri is set: summaries leave the store, and shopper "
                    + "identifiers in them are hashed with this key; give hashKey or hashKeyEnv");
            hashKey = null;
        } else {
            hashKey = DEMO_HASH_KEY;
        }
        boolean brokerOk = brokerField.isEmpty() || brokerUri.isPresent();
        return !brokerOk || anyNull(clientId, window, maxRows, maxAge, hashKey)
                ? null
                : new Upstream(brokerUri, clientId, window, maxRows, maxAge, hashKey);
    }

    private Optional<String> brokerUri(NodeCursor c) {
        return c.text().filter(text -> {
            boolean valid = isBrokerUri(text);
            if (!valid) {
                c.report("'" + text + "' is not a broker URI such as tcp://host:1883 (schemes: tcp, ssl, ws, wss)");
            }
            return valid;
        });
    }

    private static boolean isBrokerUri(String text) {
        try {
            URI uri = new URI(text);
            return uri.getScheme() != null && BROKER_SCHEMES.contains(uri.getScheme()) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    Retention retention(MappingCursor m) {
        Duration deviceEvents = retention(m, "deviceEvents", DEFAULT_DEVICE_EVENTS_RETENTION);
        Duration zoneVisits = retention(m, "zoneVisits", DEFAULT_ZONE_VISITS_RETENTION);
        Duration sessions = retention(m, "sessions", DEFAULT_SESSIONS_RETENTION);
        Duration orders = retention(m, "orders", DEFAULT_ORDERS_RETENTION);
        Duration outbox = retention(m, "outbox", DEFAULT_OUTBOX_RETENTION);
        Duration touches = retention(m, "touches", DEFAULT_TOUCHES_RETENTION);
        return anyNull(deviceEvents, zoneVisits, sessions, orders, outbox, touches)
                ? null
                : new Retention(deviceEvents, zoneVisits, sessions, orders, outbox, touches);
    }

    Sessions sessions(MappingCursor m) {
        Duration inactivity = m.value("inactivityTimeout",
                n -> n.duration(MIN_INACTIVITY_TIMEOUT, MAX_INACTIVITY_TIMEOUT), DEFAULT_INACTIVITY_TIMEOUT);
        Duration rotation = m.value("rotationPeriod",
                n -> n.duration(MIN_ROTATION_PERIOD, MAX_ROTATION_PERIOD), DEFAULT_ROTATION_PERIOD);
        Optional<String> token = Optional.empty();
        boolean tokenOk = true;
        if (SecretReader.isGiven(m, "systemClientToken", "systemClientTokenEnv")) {
            token = secrets.read(m, "systemClientToken", "systemClientTokenEnv", MIN_SYSTEM_CLIENT_TOKEN_LENGTH);
            tokenOk = token.isPresent();
        }
        return !tokenOk || anyNull(inactivity, rotation) ? null : new Sessions(inactivity, rotation, token);
    }

    private static Duration retention(MappingCursor m, String key, Duration defaultValue) {
        return m.value(key, n -> n.duration(MIN_RETENTION, null), defaultValue);
    }

    static boolean anyNull(Object... values) {
        for (Object value : values) {
            if (value == null) {
                return true;
            }
        }
        return false;
    }
}
