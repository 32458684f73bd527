-- Every attempt at a provider's API (no bodies, no credentials): for debugging and rate accounting.
CREATE TABLE api_calls (
  id BIGSERIAL PRIMARY KEY,
  provider TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  status INT,
  duration_ms INT NOT NULL,
  error TEXT,
  called_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX api_calls_provider_called_at ON api_calls (provider, called_at DESC);

-- Where each poller is in each campaign's feed, so a restart neither refetches nor skips.
CREATE TABLE cursors (
  provider TEXT NOT NULL,
  campaign_id UUID NOT NULL,
  -- Provider-specific position (e.g. the newest mention time and the ids seen at that time).
  position JSONB,
  last_polled_at TIMESTAMPTZ,
  -- A poller holds the lease while it polls, so several processes never poll one feed at once.
  lease_until TIMESTAMPTZ,
  PRIMARY KEY (provider, campaign_id)
);

-- Each provider's circuit, as the last process to change it saw it (shown in /api/v1/status).
CREATE TABLE circuit_state (
  provider TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('closed', 'open', 'half_open')),
  consecutive_failures INT NOT NULL DEFAULT 0,
  opened_at TIMESTAMPTZ,
  last_error TEXT,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Messages sent through Twilio, keyed by the caller's idempotency key so a redelivery never sends twice.
CREATE TABLE messages (
  idempotency_key TEXT PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
  -- 'sending' while the call to Twilio is in flight; then Twilio's status (queued, sent, delivered, failed, ...).
  status TEXT NOT NULL,
  sid TEXT UNIQUE,
  error_code TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Status callbacks as Twilio posted them (verified), in arrival order.
CREATE TABLE message_statuses (
  id BIGSERIAL PRIMARY KEY,
  sid TEXT NOT NULL,
  status TEXT NOT NULL,
  error_code TEXT,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX message_statuses_sid ON message_statuses (sid, id);
