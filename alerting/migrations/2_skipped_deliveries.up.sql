-- A delivery can be skipped: its recipient opted out (replied STOP), so it is never sent.
ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_status_check;
ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_status_check
  CHECK (status IN ('held', 'pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped'));
