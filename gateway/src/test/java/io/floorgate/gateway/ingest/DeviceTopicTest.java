package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTopicTest {

    @Test
    void parse_whenDeviceEventTopic_thenPartsAreRead() {
        assertThat(DeviceTopic.parse("store/s1/devices/ble-1/events"))
                .isEqualTo(new DeviceTopic("s1", "ble-1", Channel.EVENTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "store/s1/devices/ble-1", "store/s1/devices/ble-1/events/extra",
            "store/s1/things/ble-1/events", "shop/s1/devices/ble-1/events", "store//devices/ble-1/events",
            "store/s1/devices//events", "store/s1/devices/ble-1/unknown", "store/s1/devices/ble-1/+"})
    void parse_whenNotADeviceTopic_thenNull(String topic) {
        assertThat(DeviceTopic.parse(topic)).isNull();
    }
}
