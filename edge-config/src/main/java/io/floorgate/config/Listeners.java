package io.floorgate.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the gateway listens. Port 0 picks a free port (tests).
 *
 * @param host     address to bind, for example 0.0.0.0
 * @param mqttPort plain MQTT, default 1883
 * @param httpPort HTTP: apps API, ops page, /health, /metrics; default 8080
 * @param tls      MQTT over TLS, only when a key and certificate are configured
 */
public record Listeners(String host, int mqttPort, int httpPort, Optional<Tls> tls) {

    /**
     * @param port     default 8883
     * @param certPath PEM certificate chain
     * @param keyPath  PEM private key (PKCS#8)
     */
    public record Tls(int port, Path certPath, Path keyPath) {
    }
}
