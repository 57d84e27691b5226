package io.floorgate.gateway.store;

/** A row handed to the {@link GroupCommitter}: what the ingest stage wants stored. */
public sealed interface StoreWrite permits EventRow, DeviceStateRow {
}
