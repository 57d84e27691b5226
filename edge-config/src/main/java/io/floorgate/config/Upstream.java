package io.floorgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The chain's upstream MQTT broker, and the outbox that holds what waits for it.
 *
 * @param brokerUri      for example tcp://broker.chain.example:1883 or ssl://...; empty: no uplink, rows stay in the
 *                       outbox (bounded)
 * @param clientId       MQTT client id the gateway uses upstream
 * @param summaryWindow  how often summaries are made; 1 s .. 1 h
 * @param outboxMaxRows  the outbox's bound in rows; beyond it the oldest summaries are dropped (and counted)
 * @param outboxMaxAge   summaries older than this are dropped (and counted) instead of sent
 * @param hashKey        the store's HMAC key for pseudonymizing shopper identifiers, at least 16 bytes
 * @param outboxMaxBytes the outbox's bound in body bytes; beyond it the oldest summaries are dropped (and counted)
 * @param link           how the gateway connects and drains
 */
public record Upstream(Optional<String> brokerUri, String clientId, Duration summaryWindow,
                       long outboxMaxRows, Duration outboxMaxAge, String hashKey, long outboxMaxBytes, Link link) {

    /** An upstream with the default outbox byte bound and the default link: for stores built in code. */
    public Upstream(Optional<String> brokerUri, String clientId, Duration summaryWindow, long outboxMaxRows,
                    Duration outboxMaxAge, String hashKey) {
        this(brokerUri, clientId, summaryWindow, outboxMaxRows, outboxMaxAge, hashKey,
                SettingsReader.DEFAULT_OUTBOX_MAX_BYTES, Link.DEFAULT);
    }

    @Override
    public String toString() {
        return "Upstream[brokerUri=" + brokerUri + ", clientId=" + clientId + ", summaryWindow=" + summaryWindow
                + ", outboxMaxRows=" + outboxMaxRows + ", outboxMaxBytes=" + outboxMaxBytes + ", outboxMaxAge="
                + outboxMaxAge + ", link=" + link + "]";
    }

    /** The MQTT protocol version spoken upstream; 3.1.1 for brokers that do not speak 5 yet. */
    public enum Protocol {
        MQTT5,
        MQTT3
    }

    /**
     * @param protocol     mqtt5 (default) or mqtt3 (3.1.1)
     * @param username     the upstream user name, if the broker wants one
     * @param password     only with a username; never printed
     * @param tls          trust and client certificate for ssl:// and wss://; empty: the JVM's default trust
     * @param drainMaxRate messages per second at most, a drained backlog included
     * @param inFlight     messages published and not yet acknowledged, at most (Paho's max in-flight)
     * @param reconnectMin the first delay before a reconnect; doubles with each failure, with jitter
     * @param reconnectMax the longest delay between reconnects
     */
    public record Link(Protocol protocol, Optional<String> username, Optional<String> password, Optional<Tls> tls,
                       double drainMaxRate, int inFlight, Duration reconnectMin, Duration reconnectMax) {

        public static final Link DEFAULT = new Link(Protocol.MQTT5, Optional.empty(), Optional.empty(),
                Optional.empty(), SettingsReader.DEFAULT_DRAIN_MAX_RATE, SettingsReader.DEFAULT_IN_FLIGHT,
                SettingsReader.DEFAULT_RECONNECT_MIN, SettingsReader.DEFAULT_RECONNECT_MAX);

        @Override
        public String toString() {
            return "Link[protocol=" + protocol + ", username=" + username + ", password="
                    + password.map(p -> "(set)").orElse("(none)") + ", tls=" + tls + ", drainMaxRate=" + drainMaxRate
                    + ", inFlight=" + inFlight + ", reconnectMin=" + reconnectMin + ", reconnectMax=" + reconnectMax
                    + "]";
        }
    }

    /**
     * @param caFile   PEM certificates the broker's certificate must chain to; empty: the JVM's default trust
     * @param certFile PEM client certificate chain, with keyFile, for brokers that authenticate clients by certificate
     * @param keyFile  PEM private key (PKCS#8) of certFile
     */
    public record Tls(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {
    }
}
