package io.floorgate.gateway.ingest;

import java.util.Map;

import io.floorgate.config.Device;
import io.floorgate.config.Limits;
import io.floorgate.config.StoreConfig;

/** The part of a store configuration that ingest needs, indexed once per configuration. */
record DeviceRegistry(String storeId, Map<String, Device> devices, Limits limits) {

    static DeviceRegistry of(StoreConfig config) {
        return new DeviceRegistry(config.storeId(), config.devicesById(), config.limits());
    }
}
