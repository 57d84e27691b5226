-- NFC taps and kiosk scans that presented a shopper's touch token, and the kiosk interactions of the kiosk session a
-- scan started (product lookups; feedback only with analytics consent), each linked to its session. Keyed by the
-- device event it is (see device_event). zone_id is NULL for a shopper without location consent.
-- Tokens that resolve to no open session are never stored.
CREATE TABLE session_touch (
    device_id  VARCHAR(64)  NOT NULL,
    boot_id    BIGINT       NOT NULL,
    seq        BIGINT       NOT NULL,
    session_id VARCHAR(128) NOT NULL,
    kind       VARCHAR(16)  NOT NULL,
    zone_id    VARCHAR(64),
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (device_id, boot_id, seq),
    CONSTRAINT session_touch_kind CHECK (kind IN ('nfc_tap', 'kiosk_scan', 'product_lookup', 'feedback'))
);
CREATE INDEX session_touch_by_session ON session_touch (session_id, at);
-- Serves retention.
CREATE INDEX session_touch_by_time ON session_touch (at);
