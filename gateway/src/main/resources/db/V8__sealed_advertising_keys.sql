-- Advertising keys are sealed (store/Sealer: a format byte, then AES-GCM under a key derived from the database key;
-- without a key, format byte 0 and the key in clear), so the column grows and holds the format byte from now on.
-- An ended session's key is read by nothing (only open sessions are restored), so it is kept no longer: cleared at
-- the end (SessionEndRow) and here for the sessions that ended before.
ALTER TABLE shopper_session ALTER COLUMN advertising_key SET DATA TYPE VARBINARY(128);
ALTER TABLE shopper_session ALTER COLUMN advertising_key SET NULL;
UPDATE shopper_session SET advertising_key = NULL WHERE ended_at IS NOT NULL;
UPDATE shopper_session SET advertising_key = X'00' || advertising_key WHERE advertising_key IS NOT NULL;
