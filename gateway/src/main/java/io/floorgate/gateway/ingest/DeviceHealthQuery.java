package io.floorgate.gateway.ingest;

import java.util.List;
import java.util.Optional;

/**
 * What ingest knows about the health of the store's devices now. Thread-safe; never blocks; answers are immutable
 * values. A device is one of the configuration in force: one removed by a reload is no longer answered, one added
 * is answered as offline and not seen until it connects.
 */
public interface DeviceHealthQuery {

    /** Every configured device, in the configuration's order. */
    List<DeviceHealth> devices();

    /** Empty when no configured device has this id. */
    Optional<DeviceHealth> device(String deviceId);
}
