package io.floorgate.gateway.ingest;

import io.floorgate.gateway.linking.TouchLinker;
import io.floorgate.gateway.store.GroupCommitter;
import io.vertx.core.Vertx;

/** What every device connection hands its messages to; shared, each part thread-safe. */
public record IngestServices(Vertx vertx, GroupCommitter committer, IngestMetrics metrics, DeviceHealthTracker health,
                      SightingListener sightings, DeviceEventListener deviceEvents, TouchLinker touches) {
}
