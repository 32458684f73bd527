-- Ad accounts linked to a campaign (Meta act_<digits>, Google Ads customer ids as 10 digits), each
-- checked against its provider when linked, with how its last fetch went (staleness).
CREATE TABLE campaign_ad_accounts (
  campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  platform VARCHAR(10) NOT NULL CHECK (platform IN ('meta', 'google')),
  account_id VARCHAR(40) NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  currency VARCHAR(10) NOT NULL DEFAULT '',
  linked_by TEXT NOT NULL,
  linked_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- The last fetch that succeeded, the last attempt and its error (NULL: it succeeded).
  last_synced_at TIMESTAMPTZ,
  last_attempt_at TIMESTAMPTZ,
  last_error TEXT,
  PRIMARY KEY (campaign_id, platform, account_id)
);

-- Every linked account's figures per day, as the provider reported them (upserted: a day that is
-- still moving is fetched again and replaced). Kept when an account is unlinked (only linked
-- accounts count), so a re-link does not need the settled days again.
CREATE TABLE campaign_ad_daily (
  campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  platform VARCHAR(10) NOT NULL CHECK (platform IN ('meta', 'google')),
  account_id VARCHAR(40) NOT NULL,
  day DATE NOT NULL,
  impressions BIGINT NOT NULL CHECK (impressions >= 0),
  clicks BIGINT NOT NULL CHECK (clicks >= 0),
  conversions NUMERIC(14, 2) NOT NULL CHECK (conversions >= 0),
  spend NUMERIC(14, 2) NOT NULL CHECK (spend >= 0),
  fetched_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, platform, account_id, day)
);

-- Per campaign: the value of one conversion (for roi; NULL: not set) and the last on-demand refresh (rate limit).
CREATE TABLE campaign_metric_settings (
  campaign_id UUID PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
  value_per_conversion NUMERIC(12, 2) CHECK (value_per_conversion >= 0),
  last_refresh_at TIMESTAMPTZ
);

-- Each figure of campaigns.metrics with its freshness, sources and, when absent, why.
ALTER TABLE campaigns ADD COLUMN metrics_detail JSONB;
