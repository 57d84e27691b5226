package io.floorgate.config;

/**
 * A registered device.
 *
 * @param id       MQTT client id and username; [A-Za-z0-9._-]{1,64}, unique in the store
 * @param kind     what it is, which decides what it may publish
 * @param zone     the zone it is installed in
 * @param position where it is installed, metres on the floor plan
 * @param secret   its MQTT password, resolved at load time from the file or the environment
 */
public record Device(String id, DeviceKind kind, String zone, Point position, String secret) {

    /** Never print a secret, not even in a debug log. */
    @Override
    public String toString() {
        return "Device[id=" + id + ", kind=" + kind + ", zone=" + zone + ", position=" + position + "]";
    }
}
