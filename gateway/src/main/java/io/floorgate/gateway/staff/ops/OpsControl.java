package io.floorgate.gateway.staff.ops;

import io.vertx.core.Future;

/** What an admin may ask of the store from the ops page; each answers a line that says how it went. */
public interface OpsControl {

    /** Blinks the device, sent as a DeviceCommand on its commands topic at QoS 1. */
    Future<String> identify(String deviceId);

    /** Restarts the device, sent as a DeviceCommand on its commands topic at QoS 1. */
    Future<String> reboot(String deviceId);

    /** Reads the configuration file now and applies it, or keeps the one in force and says why. */
    Future<String> reloadConfiguration();
}
