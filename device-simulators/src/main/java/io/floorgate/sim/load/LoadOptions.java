package io.floorgate.sim.load;

import io.floorgate.config.StoreConfig;
import io.floorgate.sim.play.ReceiverReporter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One load run.
 *
 * @param broker          tcp://host:port of the gateway or a broker
 * @param store           the devices to connect as (their ids, secrets and store id)
 * @param anonymous       connect without username and password (a plain broker such as Mosquitto)
 * @param connections     connections, each as a different device; 0 for every device of the kind the load connects as
 * @param qos             0 (beacon sightings) or 1 (NFC taps)
 * @param payloadBytes    approximate size of each DeviceEvent
 * @param warmup          publishing before measuring
 * @param duration        the measured window
 * @param ratePerSecond   target total rate; 0 = as fast as the broker accepts (or one message per reportEvery)
 * @param inflight        QoS 1 window per connection
 * @param threads         event-loop threads of the generator
 * @param countSubscriber count deliveries to a subscriber of store/# (a pass-through broker)
 * @param countMetrics    count accepted events from the gateway's /metrics; null for none
 * @param sightingsFrom   QoS 0 only: sightings of these sessions' current advertised ids instead of made-up ids,
 *                        counted as sightings located; null for made-up ids
 * @param sightingsPerBatch sessions heard in each batch, with sightingsFrom
 * @param exceptZone      connect as no device of this zone, so another process may publish as them; null for none
 * @param reportEvery     each connection publishes once per this period, as a device on a report timer, instead of
 *                        ratePerSecond; null for none
 */
public record LoadOptions(URI broker, StoreConfig store, boolean anonymous, int connections, int qos,
                          int payloadBytes, Duration warmup, Duration duration, double ratePerSecond, int inflight,
                          int threads, boolean countSubscriber, URI countMetrics, Path sightingsFrom,
                          int sightingsPerBatch, String exceptZone, Duration reportEvery) {

    public LoadOptions {
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("qos must be 0 or 1, not " + qos);
        }
        if (connections < 0 || inflight < 1 || threads < 1) {
            throw new IllegalArgumentException("connections must be >= 0, inflight and threads >= 1");
        }
        if (reportEvery != null && (ratePerSecond != 0 || reportEvery.isZero() || reportEvery.isNegative())) {
            throw new IllegalArgumentException("a positive report period replaces the rate: give one of them");
        }
        if (sightingsFrom != null && (qos != 0 || sightingsPerBatch < 1
                || sightingsPerBatch > ReceiverReporter.MAX_SIGHTINGS_PER_BATCH)) {
            throw new IllegalArgumentException("sightings from sessions need qos 0 and 1.."
                    + ReceiverReporter.MAX_SIGHTINGS_PER_BATCH + " sightings per batch");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }
}
