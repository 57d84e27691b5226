package io.floorgate.config;

import java.time.Duration;
import java.util.List;

/**
 * Buy online, pick up in store.
 *
 * @param points       where orders are handed off
 * @param serviceLevel the longest a shopper should wait from arrival to hand-off
 */
public record Pickup(List<PickupPoint> points, Duration serviceLevel) {

    public Pickup {
        points = List.copyOf(points);
    }

    /**
     * @param id        unique among pickup points
     * @param zone      a zone of kind pickup
     * @param nfcReader the NFC reader at the counter that confirms hand-off, a device of kind nfc-reader
     */
    public record PickupPoint(String id, String zone, String nfcReader) {
    }
}
