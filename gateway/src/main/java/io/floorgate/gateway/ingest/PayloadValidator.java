package io.floorgate.gateway.ingest;

import io.floorgate.config.DeviceKind;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.CommandResult;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Heartbeat;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.proto.v1.Sighting;

/**
 * Checks decoded payloads against the ranges written in {@code device.proto}, and that the body is
 * one this kind of device may send. Stateless; every check returns the first problem or null.
 */
final class PayloadValidator {

    private static final int MAX_SIGHTINGS = 1024;
    private static final int MAX_WINDOW_MS = 60_000;
    private static final int MIN_OBSERVED_ID_BYTES = 4;
    private static final int MAX_OBSERVED_ID_BYTES = 32;
    private static final int MIN_RSSI_DBM = -127;
    private static final int MAX_TX_POWER_DBM = 20;
    private static final int MAX_SIGHTING_COUNT = 10_000;
    private static final int MAX_TOKEN_BYTES = 256;
    private static final int MAX_CODE_CHARS = 64;
    private static final int MAX_FIRMWARE_CHARS = 32;
    private static final int MAX_BATTERY_PCT = 100;
    private static final int MAX_COMMAND_ID_CHARS = 64;
    private static final int MAX_RESULT_DETAIL_CHARS = 200;

    private PayloadValidator() {
    }

    static Invalid check(DeviceEvent event, String topicDeviceId, DeviceKind kind) {
        if (!event.getDeviceId().equals(topicDeviceId)) {
            return new Invalid(Rejection.INVALID_EVENT, "device_id '" + event.getDeviceId() + "' is not the topic's");
        }
        if (event.getBootId() == 0) {
            return new Invalid(Rejection.INVALID_EVENT, "boot_id missing");
        }
        if (event.getSeq() < 1) {
            return new Invalid(Rejection.INVALID_EVENT, "seq must be 1..2^63-1");
        }
        if (event.getObservedAtMs() <= 0) {
            return new Invalid(Rejection.INVALID_EVENT, "observed_at_ms missing");
        }
        return switch (event.getBodyCase()) {
            case BEACON_SIGHTINGS -> kind != DeviceKind.BLE_RECEIVER ? notAllowed(event, kind)
                    : check(event.getBeaconSightings());
            case NFC_TAP -> kind != DeviceKind.NFC_READER ? notAllowed(event, kind) : check(event.getNfcTap());
            case KIOSK_INTERACTION -> kind != DeviceKind.KIOSK ? notAllowed(event, kind)
                    : check(event.getKioskInteraction());
            case COMMAND_RESULT -> check(event.getCommandResult());
            case BODY_NOT_SET -> new Invalid(Rejection.INVALID_EVENT, "no body");
        };
    }

    static Invalid check(Heartbeat heartbeat, String topicDeviceId) {
        if (!heartbeat.getDeviceId().equals(topicDeviceId)) {
            return new Invalid(Rejection.INVALID_EVENT, "heartbeat device_id is not the topic's");
        }
        if (heartbeat.getBootId() == 0 || heartbeat.getSentAtMs() <= 0) {
            return new Invalid(Rejection.INVALID_EVENT, "heartbeat boot_id or sent_at_ms missing");
        }
        if (heartbeat.hasBatteryPct() && Integer.toUnsignedLong(heartbeat.getBatteryPct()) > MAX_BATTERY_PCT) {
            return new Invalid(Rejection.INVALID_EVENT, "battery_pct above 100");
        }
        if (heartbeat.getFirmware().length() > MAX_FIRMWARE_CHARS) {
            return new Invalid(Rejection.INVALID_EVENT, "firmware longer than 32 characters");
        }
        if (heartbeat.hasWifiRssiDbm() && !inRange(heartbeat.getWifiRssiDbm(), MIN_RSSI_DBM, 0)) {
            return new Invalid(Rejection.INVALID_EVENT, "wifi_rssi_dbm outside -127..0");
        }
        return null;
    }


    private static Invalid notAllowed(DeviceEvent event, DeviceKind kind) {
        return new Invalid(Rejection.BODY_NOT_ALLOWED, event.getBodyCase() + " is not sent by a " + kind);
    }

    private static Invalid check(BeaconSightings batch) {
        if (batch.getWindowMs() < 1 || batch.getWindowMs() > MAX_WINDOW_MS) {
            return new Invalid(Rejection.INVALID_EVENT, "window_ms outside 1..60000");
        }
        if (batch.getSightingsCount() > MAX_SIGHTINGS) {
            return new Invalid(Rejection.INVALID_EVENT, "more than 1024 sightings");
        }
        for (Sighting s : batch.getSightingsList()) {
            int idBytes = s.getObservedId().size();
            if (idBytes < MIN_OBSERVED_ID_BYTES || idBytes > MAX_OBSERVED_ID_BYTES
                    || !inRange(s.getRssiDbm(), MIN_RSSI_DBM, 0)
                    || !inRange(s.getTxPowerDbm(), MIN_RSSI_DBM, MAX_TX_POWER_DBM)
                    // uint32: Java reads 2^31 and above as negative
                    || Integer.toUnsignedLong(s.getCount()) > MAX_SIGHTING_COUNT) {
                return new Invalid(Rejection.INVALID_EVENT, "sighting out of range");
            }
        }
        return null;
    }

    private static Invalid check(NfcTap tap) {
        int size = tap.getToken().size();
        return size < 1 || size > MAX_TOKEN_BYTES
                ? new Invalid(Rejection.INVALID_EVENT, "token must be 1..256 bytes") : null;
    }

    private static Invalid check(KioskInteraction interaction) {
        return switch (interaction.getActionCase()) {
            case SESSION_SCAN -> {
                int size = interaction.getSessionScan().getSessionToken().size();
                yield size < 1 || size > MAX_TOKEN_BYTES
                        ? new Invalid(Rejection.INVALID_EVENT, "session_token must be 1..256 bytes") : null;
            }
            case PRODUCT_LOOKUP -> text(interaction.getProductLookup().getSku(), "sku");
            case PICKUP_CHECK_IN -> text(interaction.getPickupCheckIn().getOrderCode(), "order_code");
            case FEEDBACK -> check(interaction.getFeedback());
            case ACTION_NOT_SET -> new Invalid(Rejection.INVALID_EVENT, "kiosk interaction without action");
        };
    }

    private static Invalid check(KioskInteraction.Feedback feedback) {
        if (!feedback.hasCsat() && !feedback.hasNps() && !feedback.hasCes()) {
            return new Invalid(Rejection.INVALID_EVENT, "feedback without a score");
        }
        if (feedback.hasCsat() && !inRange(feedback.getCsat(), 1, 5)
                || feedback.hasNps() && !inRange(feedback.getNps(), 0, 10)
                || feedback.hasCes() && !inRange(feedback.getCes(), 1, 7)) {
            return new Invalid(Rejection.INVALID_EVENT, "feedback score out of range (csat 1-5, nps 0-10, ces 1-7)");
        }
        return null;
    }

    private static Invalid check(CommandResult result) {
        int idLength = result.getCommandId().length();
        if (idLength < 1 || idLength > MAX_COMMAND_ID_CHARS) {
            return new Invalid(Rejection.INVALID_EVENT, "command_id must be 1..64 characters");
        }
        return result.getDetail().length() > MAX_RESULT_DETAIL_CHARS
                ? new Invalid(Rejection.INVALID_EVENT, "command result detail longer than 200 characters") : null;
    }

    private static Invalid text(String value, String field) {
        return value.isEmpty() || value.length() > MAX_CODE_CHARS
                ? new Invalid(Rejection.INVALID_EVENT, field + " must be 1..64 characters") : null;
    }

    private static boolean inRange(long value, long min, long max) {
        return value >= min && value <= max;
    }
}
