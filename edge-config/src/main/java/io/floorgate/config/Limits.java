package io.floorgate.config;

import java.time.Duration;

/**
 * What clients may send and hold: per-device ingest limits, the MQTT listener's connection limits, and the HTTP
 * listener's request and WebSocket limits. Every one says what the gateway drops at the bound; docs/limits.md lists
 * them with the metric that counts each.
 *
 * @param maxEventBytes            largest accepted payload, bytes, checked before parsing; 64..1048576
 * @param devicePublishRate        sustained messages per second one device may publish; > 0
 * @param devicePublishBurst       token-bucket size, messages; >= 1
 * @param maxDevicesConnected      authenticated device connections at once; >= 1
 * @param maxConnections           TCP connections open at once on the MQTT listeners, authenticated or not;
 *                                 >= maxDevicesConnected; by default maxDevicesConnected + 1000
 * @param connectionRatePerAddress new MQTT connections per second one remote address may open, sustained; > 0
 * @param connectionBurstPerAddress new MQTT connections one remote address may open at once; >= 1
 * @param connectTimeout           longest from TCP accept to a whole CONNECT packet, however the bytes trickle in
 * @param maxKeepAlive             longest keep-alive a device may ask for; one asking for none (0) or more gets
 *                                 this, and is closed after 1.5 times it without a packet [MQTT-3.1.2-24]
 * @param devicePingRate           PINGREQs per second one connection may send, sustained; > 0
 * @param devicePingBurst          PINGREQs one connection may send at once; >= 1
 * @param maxWriteBufferBytes      bytes the gateway queues to one MQTT connection that does not read them
 * @param httpMaxHeaderBytes       largest HTTP request head (request line and headers), bytes
 * @param httpMaxBodyBytes         largest HTTP request body the API reads, bytes
 * @param httpBodyTimeout          longest from a request's headers to the end of its body
 * @param webSocketMaxFrameBytes   largest WebSocket frame a push-stream client may send, bytes
 * @param webSocketMessageRate     messages per second a push-stream client may send, sustained (they only listen)
 * @param webSocketMessageBurst    messages a push-stream client may send at once
 */
public record Limits(int maxEventBytes, double devicePublishRate, int devicePublishBurst, int maxDevicesConnected,
                     int maxConnections, double connectionRatePerAddress, int connectionBurstPerAddress,
                     Duration connectTimeout, Duration maxKeepAlive, double devicePingRate, int devicePingBurst,
                     int maxWriteBufferBytes, int httpMaxHeaderBytes, int httpMaxBodyBytes, Duration httpBodyTimeout,
                     int webSocketMaxFrameBytes, double webSocketMessageRate, int webSocketMessageBurst) {

    /** The longest connectTimeout a store may configure. */
    public static final Duration MAX_CONNECT_TIMEOUT = Duration.ofMinutes(5);

    /** The ingest limits given, every connection and HTTP limit at its default. */
    public Limits(int maxEventBytes, double devicePublishRate, int devicePublishBurst, int maxDevicesConnected) {
        this(maxEventBytes, devicePublishRate, devicePublishBurst, maxDevicesConnected,
                defaultMaxConnections(maxDevicesConnected), SettingsReader.DEFAULT_CONNECTION_RATE_PER_ADDRESS,
                SettingsReader.DEFAULT_CONNECTION_BURST_PER_ADDRESS, SettingsReader.DEFAULT_CONNECT_TIMEOUT,
                SettingsReader.DEFAULT_MAX_KEEP_ALIVE, SettingsReader.DEFAULT_DEVICE_PING_RATE,
                SettingsReader.DEFAULT_DEVICE_PING_BURST, SettingsReader.DEFAULT_MAX_WRITE_BUFFER_BYTES,
                SettingsReader.DEFAULT_HTTP_MAX_HEADER_BYTES, SettingsReader.DEFAULT_HTTP_MAX_BODY_BYTES,
                SettingsReader.DEFAULT_HTTP_BODY_TIMEOUT, SettingsReader.DEFAULT_WEB_SOCKET_MAX_FRAME_BYTES,
                SettingsReader.DEFAULT_WEB_SOCKET_MESSAGE_RATE, SettingsReader.DEFAULT_WEB_SOCKET_MESSAGE_BURST);
    }

    /** Room beyond the devices for connections still authenticating, and reconnects whose old socket is closing. */
    static int defaultMaxConnections(int maxDevicesConnected) {
        return (int) Math.min(Integer.MAX_VALUE, (long) maxDevicesConnected + SettingsReader.CONNECTING_HEADROOM);
    }

    /** These limits with other per-address connection limits (the load benchmarks connect from one address). */
    public Limits withConnectionRate(double ratePerAddress, int burstPerAddress) {
        return new Limits(maxEventBytes, devicePublishRate, devicePublishBurst, maxDevicesConnected, maxConnections,
                ratePerAddress, burstPerAddress, connectTimeout, maxKeepAlive, devicePingRate, devicePingBurst,
                maxWriteBufferBytes, httpMaxHeaderBytes, httpMaxBodyBytes, httpBodyTimeout, webSocketMaxFrameBytes,
                webSocketMessageRate, webSocketMessageBurst);
    }
}
