package io.floorgate.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The chain's upstream MQTT broker.
 *
 * @param brokerUri     for example tcp://broker.chain.example:1883 or ssl://...; empty: no uplink
 * @param clientId      MQTT client id the gateway uses upstream
 * @param summaryWindow how often summaries are made; 1 s .. 1 h
 * @param outboxMaxRows the outbox's bound; the oldest rows are dropped (and counted) beyond it
 * @param outboxMaxAge  summaries older than this are dropped (and counted) instead of sent
 * @param hashKey       the store's HMAC key for pseudonymizing shopper identifiers, at least 16 bytes
 */
public record Upstream(Optional<String> brokerUri, String clientId, Duration summaryWindow,
                       long outboxMaxRows, Duration outboxMaxAge, String hashKey) {

    @Override
    public String toString() {
        return "Upstream[brokerUri=" + brokerUri + ", clientId=" + clientId + ", summaryWindow=" + summaryWindow
                + ", outboxMaxRows=" + outboxMaxRows + ", outboxMaxAge=" + outboxMaxAge + "]";
    }
}
