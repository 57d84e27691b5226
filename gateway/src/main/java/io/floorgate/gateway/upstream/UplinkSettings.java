package io.floorgate.gateway.upstream;

import java.security.GeneralSecurityException;

import javax.net.SocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.floorgate.config.Upstream;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * What both uplinks share: the status topic with its retained "online" and last-will "offline", the timeouts, and
 * the TLS socket factory built from the configured PEM files.
 *
 * @param statusTopic           retail/{chain}/stores/{store}/status
 * @param connectTimeoutSeconds how long one connection attempt may take before it counts as failed
 * @param keepAliveSeconds      MQTT keep-alive: how soon a silent broker is noticed as gone
 */
record UplinkSettings(String statusTopic, int connectTimeoutSeconds, int keepAliveSeconds) {

    static final String ONLINE = "online";
    static final String OFFLINE = "offline";
    /** Beyond the quiesce time, how long a disconnect may take before the socket is simply closed. */
    static final long DISCONNECT_GRACE_MS = 1000;

    /** Builds the client for the configured protocol. */
    Uplink open(Upstream upstream, Vertx vertx, Runnable lost) throws Exception {
        SocketFactory sockets = upstream.link().tls().isPresent() ? socketFactory(upstream.link().tls().get(), vertx)
                : null;
        return upstream.link().protocol() == Upstream.Protocol.MQTT3
                ? new Mqtt3Uplink(upstream, this, sockets, lost)
                : new Mqtt5Uplink(upstream, this, sockets, lost);
    }

    /**
     * Trust limited to the configured CA (or the JVM's default when none is given), and the client certificate if
     * one is configured; Vert.x reads the PEM files as it does for the devices' listener.
     */
    private static SocketFactory socketFactory(Upstream.Tls tls, Vertx vertx) throws Exception {
        TrustManagerFactory trust = null;
        if (tls.caFile().isPresent()) {
            trust = new PemTrustOptions().addCertPath(tls.caFile().get().toString()).getTrustManagerFactory(vertx);
        }
        KeyManagerFactory keys = null;
        if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
            keys = new PemKeyCertOptions().setCertPath(tls.certFile().get().toString())
                    .setKeyPath(tls.keyFile().get().toString()).getKeyManagerFactory(vertx);
        }
        return sslContext(keys, trust).getSocketFactory();
    }

    private static SSLContext sslContext(KeyManagerFactory keys, TrustManagerFactory trust)
            throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                null);
        return context;
    }
}
