-- Linked shoppers' zone visits, decided by the location stage from QoS 0 sightings (never raw sightings).
-- Only sessions with location consent ever get a row. exited_at and dwell_ms are NULL while the visit is open.
CREATE TABLE zone_visit (
    session_id VARCHAR(128) NOT NULL,
    zone_id    VARCHAR(64)  NOT NULL,
    entered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    exited_at  TIMESTAMP WITH TIME ZONE,
    dwell_ms   BIGINT,
    PRIMARY KEY (session_id, entered_at)
);
-- Serves per-zone summaries (entries, dwell) over a window and retention.
CREATE INDEX zone_visit_by_time ON zone_visit (entered_at);
