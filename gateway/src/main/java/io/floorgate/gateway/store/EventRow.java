package io.floorgate.gateway.store;

/**
 * One device event to store raw, keyed by (deviceId, bootId, seq).
 *
 * @param kind    the event body's kind, for example nfc_tap
 * @param payload the protobuf bytes exactly as the device sent them
 */
public record EventRow(String deviceId, long bootId, long seq, String kind, long observedAtMs, long receivedAtMs,
                       byte[] payload) implements StoreWrite {
}
