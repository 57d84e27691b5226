package io.floorgate.gateway.ingest;

import io.floorgate.config.Device;
import io.floorgate.proto.v1.DeviceEvent;

/**
 * Where accepted NFC taps and kiosk interactions go besides storage: the pickup stage. Called on the device's
 * event loop once the event passed validation and de-duplication and its raw row was queued for commit; an
 * implementation must not block.
 */
@FunctionalInterface
public interface DeviceEventListener {

    void onEvent(Device device, DeviceEvent event, long receivedAtMs);
}
