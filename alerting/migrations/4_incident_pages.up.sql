-- A page is an UPDATE only for someone paged earlier for the same incident (a person first reached
-- when severity rose gets the incident as new). An incident no contact follows at its severity
-- says so ('below_threshold'), distinct from a campaign without contacts ('no_contacts').
ALTER TABLE alert_deliveries ADD COLUMN is_update BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE alerts DROP CONSTRAINT alerts_status_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_status_check CHECK (status IN ('pending', 'published', 'delivered', 'partial', 'failed', 'no_contacts', 'below_threshold'));
