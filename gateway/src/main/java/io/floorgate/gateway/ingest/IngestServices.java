package io.floorgate.gateway.ingest;

import java.util.List;

import io.floorgate.gateway.linking.TouchLinker;
import io.floorgate.gateway.store.GroupCommitter;
import io.vertx.core.Vertx;

/**
 * What every device connection hands its messages to; shared, each part thread-safe.
 *
 * @param deviceEvents each told of every accepted NFC tap and kiosk interaction (the pickup stage, the summaries)
 * @param offlineRows  written with a device's offline state row (the upstream's live event)
 */
public record IngestServices(Vertx vertx, GroupCommitter committer, IngestMetrics metrics, DeviceHealthTracker health,
                      SightingListener sightings, List<DeviceEventListener> deviceEvents, TouchLinker touches,
                      OfflineRows offlineRows) {

    public IngestServices {
        deviceEvents = List.copyOf(deviceEvents);
    }
}
