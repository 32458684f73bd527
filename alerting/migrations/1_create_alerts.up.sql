-- alerting's tables: the seed's `alerts` (campaign_id kept without a foreign key: campaigns lives in
-- another database) and one delivery row per channel and recipient. Both are written in one
-- transaction BEFORE the alert is published on `alert-queue`; each delivery is a state machine
-- (held -> pending -> sending -> sent | failed; held -> cancelled) so redelivery never sends twice.
CREATE TABLE alerts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id UUID NOT NULL,
  type VARCHAR(50) NOT NULL,
  severity VARCHAR(20) NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
  title VARCHAR(500) NOT NULL,
  message TEXT NOT NULL,
  data JSONB NOT NULL DEFAULT '{}'::jsonb,
  channels JSONB NOT NULL DEFAULT '[]'::jsonb,
  -- pending: persisted, not yet published; published: on the queue; delivered / partial / failed: every delivery settled.
  status VARCHAR(50) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'delivered', 'partial', 'failed')),
  -- Who raised it ("system" for monitoring) and, for raises that may repeat, the key that makes them idempotent.
  raised_by TEXT NOT NULL,
  source_key TEXT UNIQUE,
  tier INTEGER NOT NULL DEFAULT 1,
  max_tier INTEGER NOT NULL DEFAULT 1,
  escalate_at TIMESTAMPTZ,
  acknowledged_at TIMESTAMPTZ,
  acknowledged_by TEXT,
  published_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  processed_at TIMESTAMPTZ
);
CREATE INDEX alerts_campaign ON alerts (campaign_id, created_at DESC);
CREATE INDEX alerts_created ON alerts (created_at DESC);
CREATE INDEX alerts_unpublished ON alerts (created_at) WHERE status = 'pending';
CREATE INDEX alerts_escalation ON alerts (escalate_at) WHERE acknowledged_at IS NULL AND escalate_at IS NOT NULL;

CREATE TABLE alert_deliveries (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  alert_id UUID NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  channel VARCHAR(20) NOT NULL CHECK (channel IN ('SMS', 'WHATSAPP', 'EMAIL', 'SLACK', 'PUSH')),
  recipient VARCHAR(500) NOT NULL,
  recipient_name VARCHAR(255) NOT NULL DEFAULT '',
  tier INTEGER NOT NULL DEFAULT 1,
  status VARCHAR(20) NOT NULL CHECK (status IN ('held', 'pending', 'sending', 'sent', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  lease_until TIMESTAMPTZ,
  last_error TEXT,
  provider_message_id TEXT,
  sent_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (alert_id, channel, recipient)
);
CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id);
CREATE INDEX alert_deliveries_open ON alert_deliveries (next_attempt_at) WHERE status IN ('pending', 'sending');
