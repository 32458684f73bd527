-- analytics' tables: rollups of each campaign's mentions kept live from monitoring's data-stream and
-- finalised nightly from monitoring's own figures, plus the reports generated as PDF. campaign_id is a
-- campaigns id: no foreign key across services. Days and hours are UTC. Sentiment is summed in
-- thousandths (mentions carry three decimals), so live sums and recomputed sums are exact integers.

-- The seed's daily_analytics: one row per campaign and day, derived from the finer rollups below
-- (re-derived after every change). Its row is also the lock every writer of that day takes first.
-- engagement_rate is engagement / reach, which can exceed the seed's DECIMAL(5,4): widened.
CREATE TABLE daily_analytics (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id UUID NOT NULL,
  date DATE NOT NULL,
  total_mentions INTEGER NOT NULL DEFAULT 0,
  average_sentiment DECIMAL(4, 3) NOT NULL DEFAULT 0,
  total_reach BIGINT NOT NULL DEFAULT 0,
  engagement_rate DECIMAL(12, 4) NOT NULL DEFAULT 0,
  platform_breakdown JSONB NOT NULL DEFAULT '{}',
  top_keywords JSONB NOT NULL DEFAULT '[]',
  sentiment_milli BIGINT NOT NULL DEFAULT 0,
  positive INTEGER NOT NULL DEFAULT 0,
  negative INTEGER NOT NULL DEFAULT 0,
  total_engagement BIGINT NOT NULL DEFAULT 0,
  crisis_events INTEGER NOT NULL DEFAULT 0,
  -- Bumped by every live change: the nightly finalisation retries when it moved under it.
  live_version BIGINT NOT NULL DEFAULT 0,
  finalized_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, date)
);
-- The summary's "every campaign with figures in the window" (admins) and retention.
CREATE INDEX daily_analytics_date ON daily_analytics (date);

-- Per hour and platform: the grid every report's volume, sentiment and platform figures come from.
CREATE TABLE hourly_rollups (
  campaign_id UUID NOT NULL,
  hour TIMESTAMPTZ NOT NULL,
  platform VARCHAR(100) NOT NULL,
  mentions INTEGER NOT NULL,
  sentiment_milli BIGINT NOT NULL,
  positive INTEGER NOT NULL,
  negative INTEGER NOT NULL,
  reach BIGINT NOT NULL,
  engagement BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, hour, platform)
);
CREATE INDEX hourly_rollups_hour ON hourly_rollups (hour);

-- Per day and tracked term (the monitoring configuration's keywords and competitors).
CREATE TABLE term_rollups (
  campaign_id UUID NOT NULL,
  date DATE NOT NULL,
  kind VARCHAR(20) NOT NULL CHECK (kind IN ('keyword', 'competitor')),
  term VARCHAR(255) NOT NULL,
  mentions INTEGER NOT NULL,
  sentiment_milli BIGINT NOT NULL,
  positive INTEGER NOT NULL,
  negative INTEGER NOT NULL,
  reach BIGINT NOT NULL,
  engagement BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, date, kind, term)
);
CREATE INDEX term_rollups_date ON term_rollups (date);

-- Per day and author, counting only influential mentions (reach at or above the threshold, or by an
-- author the monitoring configuration names as an influencer).
CREATE TABLE author_rollups (
  campaign_id UUID NOT NULL,
  date DATE NOT NULL,
  author VARCHAR(255) NOT NULL,
  platform VARCHAR(100) NOT NULL,
  mentions INTEGER NOT NULL,
  sentiment_milli BIGINT NOT NULL,
  reach BIGINT NOT NULL,
  engagement BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, date, author, platform)
);
CREATE INDEX author_rollups_date ON author_rollups (date);

-- The day's most-read mentions (by reach, then id), at most a few per day.
CREATE TABLE top_mentions (
  campaign_id UUID NOT NULL,
  date DATE NOT NULL,
  mention_id UUID NOT NULL,
  platform VARCHAR(100) NOT NULL,
  author VARCHAR(255) NOT NULL,
  text TEXT NOT NULL,
  url TEXT NOT NULL,
  sentiment_milli INTEGER NOT NULL,
  reach BIGINT NOT NULL,
  engagement BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (campaign_id, date, mention_id)
);
CREATE INDEX top_mentions_date ON top_mentions (date);

-- Crises (any alert type) by the day they opened.
CREATE TABLE crises (
  crisis_id TEXT PRIMARY KEY,
  campaign_id UUID NOT NULL,
  date DATE NOT NULL,
  type VARCHAR(30) NOT NULL,
  severity VARCHAR(20) NOT NULL,
  opened_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX crises_campaign_date ON crises (campaign_id, date);

-- Which part (day) of which mention batch is counted: a redelivered data-stream message, or a batch
-- the nightly finalisation already counted, is not counted again.
CREATE TABLE counted_batches (
  batch_id UUID NOT NULL,
  date DATE NOT NULL,
  campaign_id UUID NOT NULL,
  counted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (batch_id, date)
);
CREATE INDEX counted_batches_date ON counted_batches (date);

-- Reports exported as PDF: the document, for its download link.
CREATE TABLE reports (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id UUID NOT NULL,
  start_at TIMESTAMPTZ NOT NULL,
  end_at TIMESTAMPTZ NOT NULL,
  file_name TEXT NOT NULL,
  pdf BYTEA NOT NULL,
  pages INTEGER NOT NULL,
  created_by TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX reports_created ON reports (created_at);
CREATE INDEX reports_created_by ON reports (created_by);
