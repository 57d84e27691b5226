package io.floorgate.gateway.ingest;

import java.util.List;

import io.floorgate.gateway.store.StoreWrite;

/**
 * What else is written when a device goes offline: the upstream's live event, committed in the same transaction as
 * the device's state row. Called on the device's event loop; must not block.
 */
@FunctionalInterface
public interface OfflineRows {

    List<StoreWrite> offline(String deviceId, long lastSeenMs, long atMs);
}
