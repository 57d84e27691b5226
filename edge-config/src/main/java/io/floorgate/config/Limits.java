package io.floorgate.config;

/**
 * Per-device ingest limits.
 *
 * @param maxEventBytes       largest accepted payload, bytes, checked before parsing; 64..1048576
 * @param devicePublishRate   sustained messages per second one device may publish; > 0
 * @param devicePublishBurst  token-bucket size, messages; >= 1
 * @param maxDevicesConnected connections accepted at once; >= 1
 */
public record Limits(int maxEventBytes, double devicePublishRate, int devicePublishBurst, int maxDevicesConnected) {
}
