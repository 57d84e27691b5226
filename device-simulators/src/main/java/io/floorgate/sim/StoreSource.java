package io.floorgate.sim;

import io.floorgate.config.ConfigException;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import java.io.IOException;
import java.nio.file.Path;

/** Where a command's store comes from: a YAML file, or the demo store shipped inside edge-config. */
public final class StoreSource {

    private StoreSource() {
    }

    /** @param file null for the demo store */
    public static StoreConfig load(Path file) throws ConfigException, IOException {
        return file == null ? StoreConfigLoader.loadDemo() : StoreConfigLoader.load(file);
    }

    public static String topic(StoreConfig store, String deviceId, String channel) {
        return "store/" + store.storeId() + "/devices/" + deviceId + "/" + channel;
    }
}
