-- Pickup orders (buy online, pick up in store): the current state of each order, rewritten whole at every step,
-- so a restart restores it from one row. Times are NULL until the order reaches that step.
CREATE TABLE pickup_order (
    order_id        VARCHAR(128) PRIMARY KEY,
    customer_ref    VARCHAR(128) NOT NULL,
    pickup_point_id VARCHAR(64)  NOT NULL,
    code            VARCHAR(64)  NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    session_id      VARCHAR(128),
    eta_minutes     INT,
    ready_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    on_the_way_at   TIMESTAMP WITH TIME ZONE,
    arrived_at      TIMESTAMP WITH TIME ZONE,
    handed_off_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX pickup_order_by_code ON pickup_order (code);
-- Every transition, with its time and what caused it (system, app, zone, kiosk, nfc, staff): the audit trail that
-- wait and hand-off times are computed from.
CREATE TABLE pickup_step (
    order_id VARCHAR(128) NOT NULL,
    step     VARCHAR(16)  NOT NULL,
    at       TIMESTAMP WITH TIME ZONE NOT NULL,
    source   VARCHAR(16)  NOT NULL
);
CREATE INDEX pickup_step_by_order ON pickup_step (order_id, at);
