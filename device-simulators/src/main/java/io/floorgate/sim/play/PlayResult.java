package io.floorgate.sim.play;

/**
 * What a play run did.
 *
 * @param simulatedMs   simulated time played
 * @param shoppers      shoppers who entered the store
 * @param sentQos0      QoS 0 messages published (sightings, heartbeats)
 * @param sentQos1      QoS 1 messages published (NFC taps, kiosk interactions)
 * @param acked         QoS 1 messages acknowledged by the gateway
 * @param errors        messages that failed or were dropped by a full device queue
 * @param disconnected  devices that were not connected at the end
 * @param checkedIn     shoppers checked in over the app API
 * @param apiErrors     app API calls that failed
 */
public record PlayResult(long simulatedMs, int shoppers, long sentQos0, long sentQos1, long acked, long errors,
                         int disconnected, long checkedIn, long apiErrors) {
}
