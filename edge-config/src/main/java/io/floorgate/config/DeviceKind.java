package io.floorgate.config;

/** What a device is; YAML spells these in lower case with dashes (ble-receiver). */
public enum DeviceKind {
    BLE_RECEIVER, NFC_READER, KIOSK
}
