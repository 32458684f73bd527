-- The audit log: one row per AuditEvent, appended by the `record-audit-events` subscription and
-- never updated. `id` is the publisher's event id (a redelivered event is stored once); `seq` is
-- the order of arrival, along which the compliance service can chain hashes.
CREATE TABLE audit_log (
  seq BIGSERIAL NOT NULL UNIQUE,
  id UUID PRIMARY KEY,
  occurred_at TIMESTAMPTZ NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  service TEXT NOT NULL,
  details JSONB NOT NULL DEFAULT '{}'::jsonb
);

-- Queries by time, by who did it, and by what it was done to.
CREATE INDEX audit_log_occurred ON audit_log (occurred_at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, occurred_at);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, occurred_at);
