-- monitoring's tables: what each campaign is monitored for, the mentions (stored once), each
-- campaign's crisis-detector state, the crisis records (with their alert hand-off to alerting),
-- and the demo feed's bookkeeping. campaign_id is a campaigns id: no foreign key across services.

-- The seed's MonitoringConfig: one per campaign (a new POST replaces it, keeping its id).
CREATE TABLE monitoring_configs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id UUID NOT NULL UNIQUE,
  keywords TEXT[] NOT NULL,
  competitors TEXT[] NOT NULL,
  influencers TEXT[] NOT NULL,
  platforms TEXT[] NOT NULL,
  alert_thresholds JSONB NOT NULL,
  refresh_interval INTEGER NOT NULL CHECK (refresh_interval > 0),
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The seed's mentions, with the source's id for de-duplication. id is a UUIDv7 chosen at ingest
-- (time-ordered, so primary-key inserts append instead of splitting random pages). sentiment is
-- the source's, or the lexicon's when sentiment_scored.
CREATE TABLE mentions (
  id UUID PRIMARY KEY,
  campaign_id UUID NOT NULL,
  source_id VARCHAR(255) NOT NULL,
  text TEXT NOT NULL,
  author VARCHAR(255) NOT NULL DEFAULT '',
  platform VARCHAR(100) NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  sentiment DECIMAL(4, 3) NOT NULL CHECK (sentiment BETWEEN -1 AND 1),
  sentiment_scored BOOLEAN NOT NULL DEFAULT false,
  reach BIGINT NOT NULL DEFAULT 0 CHECK (reach >= 0),
  engagement BIGINT NOT NULL DEFAULT 0 CHECK (engagement >= 0),
  timestamp TIMESTAMPTZ NOT NULL,
  location VARCHAR(255),
  language VARCHAR(10),
  batch_id UUID NOT NULL,
  ingested_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- De-duplication: a source's mention is stored once per campaign (ON CONFLICT DO NOTHING).
CREATE UNIQUE INDEX mentions_source ON mentions (campaign_id, platform, source_id);
-- Every read (lists, sentiment, trending, trends, summaries) is one campaign over a time range.
CREATE INDEX mentions_campaign_time ON mentions (campaign_id, timestamp DESC, id DESC);
-- Stream replay (?since=): what a campaign received after a moment.
CREATE INDEX mentions_campaign_ingested ON mentions (campaign_id, ingested_at);

-- Each campaign's crisis-detector state (CrisisDetector.toJSON()). TEXT, not JSONB: an opaque blob
-- rewritten on every batch, never queried inside; stored uncompressed (EXTERNAL) to spare the CPU.
CREATE TABLE detector_states (
  campaign_id UUID PRIMARY KEY,
  state TEXT,
  watermark TIMESTAMPTZ,
  open_alerts INTEGER NOT NULL DEFAULT 0,
  last_snapshot_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER TABLE detector_states ALTER COLUMN state SET STORAGE EXTERNAL;

-- Batches already fed to a detector: a redelivered data-stream message is not counted twice.
CREATE TABLE detector_batches (
  batch_id UUID PRIMARY KEY,
  campaign_id UUID NOT NULL,
  processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX detector_batches_processed ON detector_batches (processed_at);

-- Crisis records: one per detector alert (its deterministic id). alert_status is the hand-off to
-- alerting (ARCHITECTURE.md §2 "Crises and alerts"): 'pending' until alerting has raised the alert
-- for alert_version (bumped when the crisis escalates), then 'alerted'.
CREATE TABLE crises (
  id TEXT PRIMARY KEY,
  campaign_id UUID NOT NULL,
  type VARCHAR(30) NOT NULL,
  severity VARCHAR(20) NOT NULL,
  status VARCHAR(20) NOT NULL CHECK (status IN ('open', 'escalated', 'resolved')),
  crisis_score DOUBLE PRECISION NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  explanation JSONB NOT NULL,
  opened_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  resolved_at TIMESTAMPTZ,
  alert_status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (alert_status IN ('pending', 'alerted')),
  alert_version INTEGER NOT NULL DEFAULT 1,
  alerted_version INTEGER,
  alerted_at TIMESTAMPTZ,
  alert_id TEXT,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX crises_pending ON crises (recorded_at) WHERE alert_status = 'pending';
CREATE INDEX crises_campaign ON crises (campaign_id, opened_at DESC);

-- What happened to each crisis, as the live stream carried it (replayed on reconnect).
CREATE TABLE crisis_events (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  crisis_id TEXT NOT NULL,
  campaign_id UUID NOT NULL,
  kind VARCHAR(20) NOT NULL CHECK (kind IN ('opened', 'escalated', 'resolved')),
  stream_type VARCHAR(20) NOT NULL,
  priority VARCHAR(20) NOT NULL,
  data JSONB NOT NULL,
  event_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (crisis_id, kind, event_at)
);
CREATE INDEX crisis_events_campaign ON crisis_events (campaign_id, created_at);

-- The demo feed (one row): its campaign, which process feeds it (a lease), and how far it got.
CREATE TABLE demo_feed (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  campaign_id UUID,
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  fed_until TIMESTAMPTZ,
  leader TEXT,
  lease_until TIMESTAMPTZ
);
