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
 * @param httpTls  when given, the HTTP listener on {@code httpPort} speaks HTTPS only, with this certificate
 */
public record Listeners(String host, int mqttPort, int httpPort, Optional<Tls> tls, Optional<HttpTls> httpTls) {

    /** Plain HTTP: tests and stores without a certificate for the ops page. */
    public Listeners(String host, int mqttPort, int httpPort, Optional<Tls> tls) {
        this(host, mqttPort, httpPort, tls, Optional.empty());
    }

    /** The same listeners on other ports: the command line overrides the file's. */
    public Listeners withPorts(int newMqttPort, int newHttpPort) {
        return new Listeners(host, newMqttPort, newHttpPort, tls, httpTls);
    }

    /**
     * @param port     default 8883
     * @param certPath PEM certificate chain
     * @param keyPath  PEM private key (PKCS#8)
     */
    public record Tls(int port, Path certPath, Path keyPath) {
    }

    /**
     * @param certPath PEM certificate chain
     * @param keyPath  PEM private key (PKCS#8)
     */
    public record HttpTls(Path certPath, Path keyPath) {
    }
}
