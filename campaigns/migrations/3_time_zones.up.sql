-- Each campaign has a time zone (IANA name, default UTC): its "today", daily rollups, reports and
-- the default of its contacts' quiet hours. Each alert contact may have quiet hours in their own
-- time zone (minutes of the local day; none unless set) and may take alerts below HIGH as a digest.
ALTER TABLE campaigns ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE campaign_alert_contacts
  ADD COLUMN quiet_start SMALLINT CHECK (quiet_start BETWEEN 0 AND 1439),
  ADD COLUMN quiet_end SMALLINT CHECK (quiet_end BETWEEN 0 AND 1439),
  ADD COLUMN time_zone TEXT,
  ADD COLUMN digest BOOLEAN NOT NULL DEFAULT false,
  ADD CONSTRAINT campaign_alert_contacts_quiet_pair CHECK ((quiet_start IS NULL) = (quiet_end IS NULL));
