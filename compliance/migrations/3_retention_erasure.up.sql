-- Retention: the policy per data class (shared/retention.ts), and each enforcement run with its counts.
CREATE TABLE retention_policies (
  data_class TEXT PRIMARY KEY,
  period_days INTEGER NOT NULL CHECK (period_days > 0),
  legal_basis TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT 'system',
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO retention_policies (data_class, period_days, legal_basis) VALUES
  ('mentions', 365, 'GDPR Art. 6(1)(f) legitimate interests (campaign media monitoring); kept one year'),
  ('chat_messages', 180, 'GDPR Art. 6(1)(f) legitimate interests (staff assistance); kept six months'),
  ('documents', 730, 'GDPR Art. 6(1)(f) legitimate interests (campaign research); kept two years'),
  ('alerts', 365, 'GDPR Art. 6(1)(f) legitimate interests (incident response); kept one year'),
  ('audit_log', 1095, 'GDPR Art. 6(1)(c) legal obligation: FEC record keeping (52 U.S.C. § 30102(d), 11 CFR § 102.9(c): three years); personal details only, the hash chain stays'),
  ('analytics_rollups', 730, 'GDPR Art. 6(1)(f) legitimate interests (campaign performance); kept two years');

CREATE TABLE retention_runs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ,
  -- ok: every class purged; partial: some failed (retried by the next run).
  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'partial')),
  triggered_by TEXT NOT NULL,
  -- [{dataClass, service, before, deleted | error}]
  results JSONB NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX retention_runs_started ON retention_runs (started_at DESC);

-- Erasure requests and, per participating service, a task retried until that service answers.
CREATE TABLE erasure_requests (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'completed')),
  requested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  completed_at TIMESTAMPTZ
);
CREATE INDEX erasure_requests_pending ON erasure_requests (requested_at) WHERE status = 'pending';

CREATE TABLE erasure_tasks (
  request_id UUID NOT NULL REFERENCES erasure_requests (id),
  service TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'done')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  lease_until TIMESTAMPTZ,
  last_error TEXT,
  -- What was erased, as counts per kind of record (never the data).
  erased JSONB,
  completed_at TIMESTAMPTZ,
  PRIMARY KEY (request_id, service)
);
CREATE INDEX erasure_tasks_due ON erasure_tasks (next_attempt_at) WHERE status = 'pending';
