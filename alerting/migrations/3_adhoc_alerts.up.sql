-- An ad-hoc alert (POST /api/v1/alerting/send as the seed calls it: type, message, recipients) may
-- belong to no campaign: it goes only to the recipients listed.
ALTER TABLE alerts ALTER COLUMN campaign_id DROP NOT NULL;
CREATE INDEX alerts_adhoc_raiser ON alerts (raised_by, created_at DESC) WHERE campaign_id IS NULL;
