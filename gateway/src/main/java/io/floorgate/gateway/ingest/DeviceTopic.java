package io.floorgate.gateway.ingest;

/**
 * A parsed device topic, {@code store/{storeId}/devices/{deviceId}/{channel}}.
 */
public record DeviceTopic(String storeId, String deviceId, Channel channel) {

    private static final int LEVELS = 5;

    /** @return the topic's parts, or null when it is not a device topic of this shape at all */
    public static DeviceTopic parse(String topic) {
        String[] levels = topic.split("/", -1);
        if (levels.length != LEVELS || !"store".equals(levels[0]) || !"devices".equals(levels[2])
                || levels[1].isEmpty() || levels[3].isEmpty()) {
            return null;
        }
        Channel channel = Channel.fromLabel(levels[4]);
        return channel == null ? null : new DeviceTopic(levels[1], levels[3], channel);
    }

    public static String of(String storeId, String deviceId, Channel channel) {
        return "store/" + storeId + "/devices/" + deviceId + "/" + channel.label();
    }
}
