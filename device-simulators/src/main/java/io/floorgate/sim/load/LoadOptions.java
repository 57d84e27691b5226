package io.floorgate.sim.load;

import io.floorgate.config.StoreConfig;
import java.net.URI;
import java.time.Duration;

/**
 * One load run.
 *
 * @param broker          tcp://host:port of the gateway or a broker
 * @param store           the devices to connect as (their ids, secrets and store id)
 * @param anonymous       connect without username and password (a plain broker such as Mosquitto)
 * @param connections     connections, each as a different device
 * @param qos             0 (beacon sightings) or 1 (NFC taps)
 * @param payloadBytes    approximate size of each DeviceEvent
 * @param warmup          publishing before measuring
 * @param duration        the measured window
 * @param ratePerSecond   target total rate; 0 = as fast as the broker accepts
 * @param inflight        QoS 1 window per connection
 * @param threads         event-loop threads of the generator
 * @param countSubscriber count deliveries to a subscriber of store/# (a pass-through broker)
 * @param countMetrics    count accepted events from the gateway's /metrics; null for none
 */
public record LoadOptions(URI broker, StoreConfig store, boolean anonymous, int connections, int qos,
                          int payloadBytes, Duration warmup, Duration duration, double ratePerSecond, int inflight,
                          int threads, boolean countSubscriber, URI countMetrics) {

    public LoadOptions {
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("qos must be 0 or 1, not " + qos);
        }
        if (connections < 1 || inflight < 1 || threads < 1) {
            throw new IllegalArgumentException("connections, inflight and threads must be >= 1");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }
}
