-- Campaigns (the seed's table, with types tightened: TIMESTAMPTZ, NUMERIC money, NOT NULL where the
-- API always has a value). created_by is an auth user id: no foreign key across services.
CREATE TABLE campaigns (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status VARCHAR(50) NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'completed')),
  start_date TIMESTAMPTZ NOT NULL,
  end_date TIMESTAMPTZ NOT NULL,
  budget NUMERIC(12, 2) NOT NULL,
  target_audience JSONB NOT NULL,
  metrics JSONB NOT NULL,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (end_date > start_date)
);

-- The admin's list (every campaign, newest first), optionally by status; the pollers' active list.
CREATE INDEX campaigns_created ON campaigns (created_at DESC, id DESC);
CREATE INDEX campaigns_status_created ON campaigns (status, created_at DESC, id DESC);

-- Who may see a campaign (ARCHITECTURE.md §2 "Campaign access"): its members. user_id is an auth
-- user id (no foreign key across services).
CREATE TABLE campaign_members (
  campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  role VARCHAR(20) NOT NULL CHECK (role IN ('manager', 'member')),
  added_by TEXT NOT NULL,
  added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, user_id)
);

-- A user's campaigns (everyone's list, and other services' access checks by user).
CREATE INDEX campaign_members_user ON campaign_members (user_id, campaign_id);

-- What monitoring listens for (the seed's table). One row per keyword per campaign, whatever its case.
CREATE TABLE campaign_keywords (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  keyword VARCHAR(255) NOT NULL,
  weight DECIMAL(3, 2) NOT NULL DEFAULT 1.0 CHECK (weight > 0),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX campaign_keywords_unique ON campaign_keywords (campaign_id, lower(keyword));

-- Who alerting reaches for a campaign, on which channel, from which severity.
CREATE TABLE campaign_alert_contacts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  name VARCHAR(255) NOT NULL,
  channel VARCHAR(20) NOT NULL CHECK (channel IN ('SMS', 'WHATSAPP', 'EMAIL', 'SLACK')),
  address VARCHAR(320) NOT NULL,
  min_severity VARCHAR(20) NOT NULL DEFAULT 'HIGH' CHECK (min_severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, channel, address)
);
