-- A delivery can wait for its recipient's digest (alerts below HIGH, for contacts who asked).
ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_status_check;
ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_status_check
  CHECK (status IN ('held', 'pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped', 'digest'));
CREATE INDEX alert_deliveries_digest ON alert_deliveries (channel, recipient) WHERE status = 'digest';
