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
 * Reads the gateway's settings sections (limits, listeners, ingest, upstream, retention, sessions, storage). Every field has a default,
 * so each section may be left out; a section with a wrong field reads as null (the problem is reported).
 */
final class SettingsReader {

    static final List<String> LIMITS_KEYS =
            List.of("maxEventBytes", "devicePublishRate", "devicePublishBurst", "maxDevicesConnected",
                    "maxConnections", "connectionRatePerAddress", "connectionBurstPerAddress", "connectTimeout",
                    "maxKeepAlive", "devicePingRate", "devicePingBurst", "maxWriteBufferBytes", "httpMaxHeaderBytes",
                    "httpMaxBodyBytes", "httpBodyTimeout", "webSocketMaxFrameBytes", "webSocketMessageRate",
                    "webSocketMessageBurst");
    static final List<String> LISTENERS_KEYS = List.of("host", "mqttPort", "httpPort", "tls", "httpTls");
    static final List<String> TLS_KEYS = List.of("port", "cert", "key");
    static final List<String> HTTP_TLS_KEYS = List.of("cert", "key");
    static final List<String> INGEST_KEYS = List.of("commitInterval", "commitMaxBatch", "queueCapacity");
    static final List<String> UPSTREAM_KEYS = List.of("brokerUri", "protocol", "clientId", "username", "password",
            "passwordEnv", "tls", "summaryWindow", "outboxMaxRows", "outboxMaxBytes", "outboxMaxAge", "drainMaxRate",
            "inFlight", "reconnectMin", "reconnectMax", "hashKey", "hashKeyEnv");
    static final List<String> UPSTREAM_TLS_KEYS = List.of("caFile", "certFile", "keyFile");
    static final List<String> RETENTION_KEYS = List.of("deviceEvents", "zoneVisits", "sessions", "orders", "outbox",
            "touches", "audit");
    static final List<String> STORAGE_KEYS = List.of("minFreeSpace", "onDamaged", "backupInterval", "backupsKept");
    static final List<String> SESSIONS_KEYS = List.of("inactivityTimeout", "rotationPeriod", "systemClientToken",
            "systemClientTokenEnv", "onLocationWithdrawn");

    static final int DEFAULT_MAX_EVENT_BYTES = 16 * 1024;
    static final int MIN_MAX_EVENT_BYTES = 64;
    static final int MAX_MAX_EVENT_BYTES = 1024 * 1024;
    static final double DEFAULT_DEVICE_PUBLISH_RATE = 50;
    static final double MAX_DEVICE_PUBLISH_RATE = 100_000;
    static final int DEFAULT_DEVICE_PUBLISH_BURST = 200;
    static final int DEFAULT_MAX_DEVICES_CONNECTED = 20_000;
    /** The default maxConnections is maxDevicesConnected plus this many connections still authenticating. */
    static final int CONNECTING_HEADROOM = 1_000;
    /**
     * A store's devices each connect from an address of their own, once, and again after an outage; an address
     * opening more than this is a storm (or many devices behind one NAT, which the burst covers at a restart).
     */
    static final double DEFAULT_CONNECTION_RATE_PER_ADDRESS = 20;
    static final int DEFAULT_CONNECTION_BURST_PER_ADDRESS = 100;
    static final double MAX_CONNECTION_RATE_PER_ADDRESS = 1_000_000;
    /** Vert.x MQTT's own default: a device on a store network sends its CONNECT in milliseconds. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_CONNECT_TIMEOUT = Limits.MAX_CONNECT_TIMEOUT;
    /** A device gone without a word (power cut, Wi-Fi lost) is seen offline at most 7.5 minutes later. */
    static final Duration DEFAULT_MAX_KEEP_ALIVE = Duration.ofMinutes(5);
    static final Duration MIN_MAX_KEEP_ALIVE = Duration.ofSeconds(1);
    /** MQTT's Keep Alive is a two-byte number of seconds [MQTT-3.1.2-10]. */
    static final Duration MAX_MAX_KEEP_ALIVE = Duration.ofSeconds(65_535);
    /** A client pings once per keep-alive period when idle; one a second sustained is already far more. */
    static final double DEFAULT_DEVICE_PING_RATE = 1;
    static final int DEFAULT_DEVICE_PING_BURST = 10;
    static final double MAX_DEVICE_PING_RATE = 1_000;
    /** Netty's default high water mark: thousands of PUBACKs and commands a device has not read. */
    static final int DEFAULT_MAX_WRITE_BUFFER_BYTES = 64 * 1024;
    static final int MIN_MAX_WRITE_BUFFER_BYTES = 1024;
    static final int MAX_MAX_WRITE_BUFFER_BYTES = 16 * 1024 * 1024;
    /** Vert.x's default; an app's or a browser's request head is a few hundred bytes. */
    static final int DEFAULT_HTTP_MAX_HEADER_BYTES = 8 * 1024;
    static final int MIN_HTTP_MAX_HEADER_BYTES = 1024;
    static final int MAX_HTTP_MAX_HEADER_BYTES = 64 * 1024;
    /** API request bodies are a few hundred bytes; anything near this is not an app or an order system. */
    static final int DEFAULT_HTTP_MAX_BODY_BYTES = 16 * 1024;
    static final int MIN_HTTP_MAX_BODY_BYTES = 1024;
    static final int MAX_HTTP_MAX_BODY_BYTES = 1024 * 1024;
    static final Duration DEFAULT_HTTP_BODY_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MIN_HTTP_BODY_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_HTTP_BODY_TIMEOUT = Duration.ofMinutes(5);
    /** Push-stream clients only listen; 125 bytes is the largest control frame (ping, close) [RFC 6455 5.5]. */
    static final int DEFAULT_WEB_SOCKET_MAX_FRAME_BYTES = 4 * 1024;
    static final int MIN_WEB_SOCKET_MAX_FRAME_BYTES = 125;
    static final int MAX_WEB_SOCKET_MAX_FRAME_BYTES = 64 * 1024;
    static final double DEFAULT_WEB_SOCKET_MESSAGE_RATE = 5;
    static final int DEFAULT_WEB_SOCKET_MESSAGE_BURST = 20;
    static final double MAX_WEB_SOCKET_MESSAGE_RATE = 10_000;

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
    static final Set<String> TLS_SCHEMES = Set.of("ssl", "wss");
    static final int MIN_PORT = 1;
    static final Duration DEFAULT_SUMMARY_WINDOW = Duration.ofSeconds(60);
    static final Duration MIN_SUMMARY_WINDOW = Duration.ofSeconds(1);
    static final Duration MAX_SUMMARY_WINDOW = Duration.ofHours(1);
    static final long DEFAULT_OUTBOX_MAX_ROWS = 100_000;
    static final Duration DEFAULT_OUTBOX_MAX_AGE = Duration.ofDays(7);
    /** A thousand 1 KiB messages per megabyte: the row bound's 100,000 messages fit well inside it. */
    static final long DEFAULT_OUTBOX_MAX_BYTES = 256L * 1024 * 1024;
    /** Below a few messages the bound could not hold one summary of a large store and the bound notice. */
    static final long MIN_OUTBOX_MAX_BYTES = 64 * 1024;
    /** A day's backlog of one summary a minute and a few events drains in seconds at this rate. */
    static final double DEFAULT_DRAIN_MAX_RATE = 2_000;
    static final double MAX_DRAIN_MAX_RATE = 1_000_000;
    static final int DEFAULT_IN_FLIGHT = 100;
    /** MQTT's Receive Maximum is a two-byte integer [MQTT-3.3.4-9]. */
    static final int MAX_IN_FLIGHT = 65_535;
    static final Duration DEFAULT_RECONNECT_MIN = Duration.ofSeconds(1);
    static final Duration DEFAULT_RECONNECT_MAX = Duration.ofMinutes(2);
    /** Faster than this, a gateway fleet that lost its broker would hammer it as it comes back. */
    static final Duration MIN_RECONNECT_DELAY = Duration.ofMillis(10);
    static final Duration MAX_RECONNECT_DELAY = Duration.ofHours(1);
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
    /** A terabyte of headroom is already more than an edge machine's whole disk; a bigger floor is a typo. */
    static final long MAX_MIN_FREE_SPACE = 1024L * 1024 * 1024 * 1024;
    /** Short enough for a test to see a backup; an operator would choose minutes or hours. */
    static final Duration MIN_BACKUP_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_BACKUP_INTERVAL = Duration.ofDays(7);
    /** Every backup is a full copy of the database: a thousand of them fill any disk long before they help. */
    static final int MAX_BACKUPS_KEPT = 1000;
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
        Integer maxConnections = m.value("maxConnections", n -> n.integer(1, Integer.MAX_VALUE),
                maxDevices == null ? null : Limits.defaultMaxConnections(maxDevices));
        Double connectionRate = m.value("connectionRatePerAddress",
                n -> n.positiveDecimal(MAX_CONNECTION_RATE_PER_ADDRESS), DEFAULT_CONNECTION_RATE_PER_ADDRESS);
        Integer connectionBurst = m.value("connectionBurstPerAddress",
                n -> n.integer(1, Integer.MAX_VALUE), DEFAULT_CONNECTION_BURST_PER_ADDRESS);
        Duration connectTimeout = m.value("connectTimeout",
                n -> n.duration(MIN_CONNECT_TIMEOUT, MAX_CONNECT_TIMEOUT), DEFAULT_CONNECT_TIMEOUT);
        Duration maxKeepAlive = m.value("maxKeepAlive",
                n -> n.duration(MIN_MAX_KEEP_ALIVE, MAX_MAX_KEEP_ALIVE), DEFAULT_MAX_KEEP_ALIVE);
        Double pingRate = m.value("devicePingRate",
                n -> n.positiveDecimal(MAX_DEVICE_PING_RATE), DEFAULT_DEVICE_PING_RATE);
        Integer pingBurst = m.value("devicePingBurst", n -> n.integer(1, Integer.MAX_VALUE), DEFAULT_DEVICE_PING_BURST);
        Integer writeBuffer = m.value("maxWriteBufferBytes",
                n -> n.integer(MIN_MAX_WRITE_BUFFER_BYTES, MAX_MAX_WRITE_BUFFER_BYTES), DEFAULT_MAX_WRITE_BUFFER_BYTES);
        Integer headerBytes = m.value("httpMaxHeaderBytes",
                n -> n.integer(MIN_HTTP_MAX_HEADER_BYTES, MAX_HTTP_MAX_HEADER_BYTES), DEFAULT_HTTP_MAX_HEADER_BYTES);
        Integer bodyBytes = m.value("httpMaxBodyBytes",
                n -> n.integer(MIN_HTTP_MAX_BODY_BYTES, MAX_HTTP_MAX_BODY_BYTES), DEFAULT_HTTP_MAX_BODY_BYTES);
        Duration bodyTimeout = m.value("httpBodyTimeout",
                n -> n.duration(MIN_HTTP_BODY_TIMEOUT, MAX_HTTP_BODY_TIMEOUT), DEFAULT_HTTP_BODY_TIMEOUT);
        Integer frameBytes = m.value("webSocketMaxFrameBytes",
                n -> n.integer(MIN_WEB_SOCKET_MAX_FRAME_BYTES, MAX_WEB_SOCKET_MAX_FRAME_BYTES),
                DEFAULT_WEB_SOCKET_MAX_FRAME_BYTES);
        Double messageRate = m.value("webSocketMessageRate",
                n -> n.positiveDecimal(MAX_WEB_SOCKET_MESSAGE_RATE), DEFAULT_WEB_SOCKET_MESSAGE_RATE);
        Integer messageBurst = m.value("webSocketMessageBurst",
                n -> n.integer(1, Integer.MAX_VALUE), DEFAULT_WEB_SOCKET_MESSAGE_BURST);
        return anyNull(maxEventBytes, rate, burst, maxDevices, maxConnections, connectionRate, connectionBurst,
                connectTimeout, maxKeepAlive, pingRate, pingBurst, writeBuffer, headerBytes, bodyBytes, bodyTimeout,
                frameBytes, messageRate, messageBurst)
                ? null
                : new Limits(maxEventBytes, rate, burst, maxDevices, maxConnections, connectionRate, connectionBurst,
                        connectTimeout, maxKeepAlive, pingRate, pingBurst, writeBuffer, headerBytes, bodyBytes,
                        bodyTimeout, frameBytes, messageRate, messageBurst);
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
        Optional<URI> brokerUri = brokerField.flatMap(SettingsReader::brokerUri);
        String defaultClientId = storeId == null ? null : CLIENT_ID_PREFIX + storeId;
        String clientId = m.value("clientId", n -> n.text(CLIENT_ID, CLIENT_ID_RULE), defaultClientId);
        Duration window = m.value("summaryWindow",
                n -> n.duration(MIN_SUMMARY_WINDOW, MAX_SUMMARY_WINDOW), DEFAULT_SUMMARY_WINDOW);
        Long maxRows = m.value("outboxMaxRows", n -> n.longInteger(1, Long.MAX_VALUE), DEFAULT_OUTBOX_MAX_ROWS);
        Long maxBytes = m.value("outboxMaxBytes", n -> n.longInteger(MIN_OUTBOX_MAX_BYTES, Long.MAX_VALUE),
                DEFAULT_OUTBOX_MAX_BYTES);
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
        Upstream.Link link = link(m, brokerUri);
        boolean brokerOk = brokerField.isEmpty() || brokerUri.isPresent();
        return !brokerOk || anyNull(clientId, window, maxRows, maxBytes, maxAge, hashKey, link)
                ? null
                : new Upstream(brokerUri.map(URI::toString), clientId, window, maxRows, maxAge, hashKey, maxBytes,
                        link);
    }

    /** How the gateway reaches the broker; null when a field is wrong (reported). */
    private Upstream.Link link(MappingCursor m, Optional<URI> brokerUri) {
        Upstream.Protocol protocol = m.value("protocol", n -> n.choice(Upstream.Protocol.class),
                Upstream.Protocol.MQTT5);
        Optional<String> username = m.value("username", n -> n.text().map(Optional::of), Optional.empty());
        Optional<String> password = Optional.empty();
        boolean passwordOk = true;
        if (SecretReader.isGiven(m, "password", "passwordEnv")) {
            // The broker decides what a good password is; any non-blank one is passed on.
            password = secrets.read(m, "password", "passwordEnv", 1);
            passwordOk = password.isPresent();
            if (passwordOk && !m.has("username")) {
                m.report("password", "is set without a username; MQTT sends a password only with a user name "
                        + "[MQTT-3.1.2-22]");
                passwordOk = false;
            }
        }
        Optional<Upstream.Tls> tls = m.value("tls",
                n -> n.mapping(UPSTREAM_TLS_KEYS).flatMap(this::upstreamTls).map(Optional::of), Optional.empty());
        if (tls != null && tls.isPresent() && brokerUri.isPresent()
                && !TLS_SCHEMES.contains(brokerUri.get().getScheme())) {
            m.report("tls", "is set but brokerUri is " + brokerUri.get().getScheme()
                    + "://, which does not use TLS; write ssl:// or wss://");
            tls = null;
        }
        Double rate = m.value("drainMaxRate", n -> n.positiveDecimal(MAX_DRAIN_MAX_RATE), DEFAULT_DRAIN_MAX_RATE);
        Integer inFlight = m.value("inFlight", n -> n.integer(1, MAX_IN_FLIGHT), DEFAULT_IN_FLIGHT);
        Duration reconnectMin = m.value("reconnectMin", n -> n.duration(MIN_RECONNECT_DELAY, MAX_RECONNECT_DELAY),
                DEFAULT_RECONNECT_MIN);
        Duration reconnectMax = m.value("reconnectMax", n -> n.duration(MIN_RECONNECT_DELAY, MAX_RECONNECT_DELAY),
                DEFAULT_RECONNECT_MAX);
        if (reconnectMin != null && reconnectMax != null && reconnectMax.compareTo(reconnectMin) < 0) {
            m.report("reconnectMax", "is " + DurationText.format(reconnectMax) + "; must be at least reconnectMin ("
                    + DurationText.format(reconnectMin) + ")");
            reconnectMax = null;
        }
        return !passwordOk || anyNull(protocol, username, tls, rate, inFlight, reconnectMin, reconnectMax)
                ? null
                : new Upstream.Link(protocol, username, password, tls, rate, inFlight, reconnectMin, reconnectMax);
    }

    private Optional<Upstream.Tls> upstreamTls(MappingCursor m) {
        Optional<Path> ca = m.value("caFile", n -> readableFile(n).map(Optional::of), Optional.empty());
        Optional<Path> cert = m.value("certFile", n -> readableFile(n).map(Optional::of), Optional.empty());
        Optional<Path> key = m.value("keyFile", n -> readableFile(n).map(Optional::of), Optional.empty());
        if (anyNull(ca, cert, key)) {
            return Optional.empty();
        }
        if (cert.isPresent() != key.isPresent()) {
            m.report(cert.isPresent() ? "keyFile" : "certFile",
                    "is required with " + (cert.isPresent() ? "certFile" : "keyFile")
                            + ": a client certificate goes with its private key");
            return Optional.empty();
        }
        return Optional.of(new Upstream.Tls(ca, cert, key));
    }

    /** The broker's URI as Paho takes it: a known scheme, a host, a port if any in range, no path. */
    private static Optional<URI> brokerUri(NodeCursor c) {
        return c.text().flatMap(text -> {
            String problem = brokerUriProblem(text);
            if (problem != null) {
                c.report("'" + text + "' " + problem + "; write for example tcp://broker.example:1883");
                return Optional.empty();
            }
            return Optional.of(URI.create(text));
        });
    }

    /** What is wrong with a broker URI, or null. */
    private static String brokerUriProblem(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return text.endsWith("://") ? "has no host" : "is not a URI (" + e.getReason() + ")";
        }
        if (uri.getScheme() == null || !BROKER_SCHEMES.contains(uri.getScheme())) {
            return "has scheme " + (uri.getScheme() == null ? "(none)" : uri.getScheme())
                    + ", not one of tcp, ssl, ws, wss";
        }
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            return "has no host";
        }
        if (uri.getHost() == null) {
            // The authority did not parse as host[:port]: no host before the colon, or a port that is not a number.
            String authority = uri.getRawAuthority();
            int colon = authority.lastIndexOf(':');
            if (colon <= 0) {
                return "has no host";
            }
            String port = authority.substring(colon + 1);
            return port.chars().allMatch(Character::isDigit)
                    ? "has host '" + authority.substring(0, colon) + "', which is not a valid host name"
                    : "has port '" + port + "', which is not a number between " + MIN_PORT + " and " + MAX_PORT;
        }
        if (uri.getPort() != -1 && (uri.getPort() < MIN_PORT || uri.getPort() > MAX_PORT)) {
            return "has port " + uri.getPort() + "; must be between " + MIN_PORT + " and " + MAX_PORT;
        }
        if (uri.getUserInfo() != null) {
            return "holds a user name; write it in username (and the secret in password or passwordEnv)";
        }
        boolean webSocket = uri.getScheme().startsWith("ws");
        if (!webSocket && uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            return "has a path; tcp:// and ssl:// take only a host and a port";
        }
        return null;
    }

    Retention retention(MappingCursor m) {
        Duration deviceEvents = retention(m, "deviceEvents", DEFAULT_DEVICE_EVENTS_RETENTION);
        Duration zoneVisits = retention(m, "zoneVisits", DEFAULT_ZONE_VISITS_RETENTION);
        Duration sessions = retention(m, "sessions", DEFAULT_SESSIONS_RETENTION);
        Duration orders = retention(m, "orders", DEFAULT_ORDERS_RETENTION);
        Duration outbox = retention(m, "outbox", DEFAULT_OUTBOX_RETENTION);
        Duration touches = retention(m, "touches", DEFAULT_TOUCHES_RETENTION);
        Duration audit = retention(m, "audit", Retention.DEFAULT_AUDIT);
        return anyNull(deviceEvents, zoneVisits, sessions, orders, outbox, touches, audit)
                ? null
                : new Retention(deviceEvents, zoneVisits, sessions, orders, outbox, touches, audit);
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
        Sessions.LocationWithdrawal onWithdrawn = m.value("onLocationWithdrawn",
                n -> n.choice(Sessions.LocationWithdrawal.class), Sessions.DEFAULT_ON_LOCATION_WITHDRAWN);
        return !tokenOk || anyNull(inactivity, rotation, onWithdrawn) ? null
                : new Sessions(inactivity, rotation, token, onWithdrawn);
    }

    StoragePolicy storage(MappingCursor m) {
        StoragePolicy defaults = StoragePolicy.DEFAULT;
        Long minFree = m.value("minFreeSpace", n -> n.byteSize(0, MAX_MIN_FREE_SPACE), defaults.minFreeSpaceBytes());
        StoragePolicy.OnDamaged onDamaged = m.value("onDamaged", n -> n.choice(StoragePolicy.OnDamaged.class),
                defaults.onDamaged());
        Duration interval = m.value("backupInterval", n -> n.duration(MIN_BACKUP_INTERVAL, MAX_BACKUP_INTERVAL),
                defaults.backupInterval());
        Integer kept = m.value("backupsKept", n -> n.integer(0, MAX_BACKUPS_KEPT), defaults.backupsKept());
        return anyNull(minFree, onDamaged, interval, kept) ? null : new StoragePolicy(minFree, onDamaged, interval, kept);
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
