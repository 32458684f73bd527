-- Incidents: one story is one alert row, updated in place. `incident_key` names the story
-- (monitoring's crises: `crisis:<crisisId>`); `ref` is the short number people reply with
-- ("ACK 4821"); `history` lists the incident's changes; `wave` counts the pages (a new wave only
-- when severity rises); `state` is its lifecycle. Each raise's own idempotency key moves to
-- `alert_sources`, since several raises (crisis versions) now update one incident.
CREATE SEQUENCE alert_refs START 1000;
ALTER TABLE alerts ADD COLUMN ref INTEGER;
UPDATE alerts SET ref = nextval('alert_refs');
ALTER TABLE alerts ALTER COLUMN ref SET DEFAULT nextval('alert_refs'), ALTER COLUMN ref SET NOT NULL;
ALTER SEQUENCE alert_refs OWNED BY alerts.ref;
CREATE UNIQUE INDEX alerts_ref ON alerts (ref);

ALTER TABLE alerts
  ADD COLUMN incident_key TEXT UNIQUE,
  ADD COLUMN campaign_name TEXT NOT NULL DEFAULT '',
  ADD COLUMN history JSONB NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN wave INTEGER NOT NULL DEFAULT 1,
  ADD COLUMN state VARCHAR(20) NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved', 'false_alarm')),
  ADD COLUMN acknowledged_via VARCHAR(20),
  ADD COLUMN acknowledged_name TEXT,
  ADD COLUMN closed_at TIMESTAMPTZ,
  ADD COLUMN closed_by TEXT,
  ADD COLUMN close_reason TEXT,
  ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
UPDATE alerts SET state = 'acknowledged', acknowledged_via = 'api' WHERE acknowledged_at IS NOT NULL;

-- An alert nobody could be told about says so instead of 'failed'.
ALTER TABLE alerts DROP CONSTRAINT alerts_status_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_status_check CHECK (status IN ('pending', 'published', 'delivered', 'partial', 'failed', 'no_contacts'));

CREATE TABLE alert_sources (
  source_key TEXT PRIMARY KEY,
  alert_id UUID NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO alert_sources (source_key, alert_id) SELECT source_key, id FROM alerts WHERE source_key IS NOT NULL;

-- A recipient is paged once per wave; `link_used_at` makes the delivery's acknowledgement link single-use.
ALTER TABLE alert_deliveries ADD COLUMN wave INTEGER NOT NULL DEFAULT 1, ADD COLUMN link_used_at TIMESTAMPTZ;
ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_alert_id_channel_recipient_key;
ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_wave_recipient UNIQUE (alert_id, wave, channel, recipient);
-- Replies are matched to the incidents that paged their number.
CREATE INDEX alert_deliveries_recipient ON alert_deliveries (recipient) WHERE channel IN ('SMS', 'WHATSAPP');
