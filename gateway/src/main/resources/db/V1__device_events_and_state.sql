-- Raw device events that were published at QoS 1 (and NFC / kiosk events at any QoS).
-- The primary key is the dedup key: a replay of the same (device, boot, seq) never adds a row.
CREATE TABLE device_event (
    device_id   VARCHAR(64)  NOT NULL,
    boot_id     BIGINT       NOT NULL,
    seq         BIGINT       NOT NULL,
    kind        VARCHAR(24)  NOT NULL,
    observed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    payload     VARBINARY(1048576) NOT NULL,
    PRIMARY KEY (device_id, boot_id, seq)
);
-- Restores each device's replay window after a restart and serves retention.
CREATE INDEX device_event_by_device_time ON device_event (device_id, received_at);
CREATE INDEX device_event_by_time ON device_event (received_at);

-- Each device's last known health, one row per device.
CREATE TABLE device_state (
    device_id     VARCHAR(64) PRIMARY KEY,
    online        BOOLEAN     NOT NULL,
    last_seen     TIMESTAMP WITH TIME ZONE NOT NULL,
    boot_id       BIGINT,
    battery_pct   INT,
    firmware      VARCHAR(32),
    uptime_s      BIGINT,
    wifi_rssi_dbm INT,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
