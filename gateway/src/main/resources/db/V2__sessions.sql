-- Shopper sessions opened by the app (POST /api/v1/sessions). Open sessions (ended_at IS NULL) are
-- restored at start, so a gateway restart does not log shoppers out.
-- The bearer token is kept only as its SHA-256: a copy of the database opens no session.
-- The advertising key is kept as is: the resolver needs it to recognise the app's rotating ids.
-- rotation_period_ms is what the app was told at check-in; a later config change must not break it.
CREATE TABLE shopper_session (
    id                 VARCHAR(32)  PRIMARY KEY,
    token_hash         BINARY(32)   NOT NULL,
    advertising_key    BINARY(32)   NOT NULL,
    rotation_period_ms BIGINT       NOT NULL,
    app_instance       VARCHAR(128) NOT NULL,
    customer_ref       VARCHAR(128),
    consent_location   BOOLEAN      NOT NULL,
    consent_analytics  BOOLEAN      NOT NULL,
    started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    last_active_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at           TIMESTAMP WITH TIME ZONE,
    end_reason         VARCHAR(16),
    CONSTRAINT shopper_session_end CHECK ((ended_at IS NULL AND end_reason IS NULL)
        OR (ended_at IS NOT NULL AND end_reason IN ('checked_out', 'expired')))
);
CREATE UNIQUE INDEX shopper_session_by_token ON shopper_session (token_hash);
-- Restore reads the open sessions; retention deletes by end time.
CREATE INDEX shopper_session_by_end ON shopper_session (ended_at);
