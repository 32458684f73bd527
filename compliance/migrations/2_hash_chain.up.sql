-- The audit log becomes a hash chain (compliance/domain/chain.ts). The chain row keeps only
-- pseudonymous ids and the hash of the details; the details themselves (which may name people)
-- move to a side table that retention and erasure may delete without breaking the chain.
-- `seq` stays the order of arrival; `chain_seq` is the entry's position in the chain, given by the
-- one chainer at a time (under an advisory lock) in arrival order. Appends insert the row, then
-- chain every row still unchained in one batch: concurrent appends share one chaining commit.
ALTER TABLE audit_log
  ADD COLUMN chain_seq BIGINT UNIQUE,
  ADD COLUMN campaign_id TEXT,
  ADD COLUMN details_hash TEXT,
  ADD COLUMN prev_hash TEXT,
  ADD COLUMN hash TEXT;

-- chain_seq repeats the entry's chain position, so verification reads details by range in chain
-- order instead of one random primary-key lookup per entry.
CREATE TABLE audit_details (
  log_id UUID PRIMARY KEY REFERENCES audit_log (id),
  chain_seq BIGINT,
  details JSONB NOT NULL
);

INSERT INTO audit_details (log_id, details) SELECT id, details FROM audit_log;
ALTER TABLE audit_log DROP COLUMN details;

-- The newest chained entry, written in the same transaction as every append: verification compares
-- the chain's end with it, so deleting the newest entries is detected too. One row.
CREATE TABLE audit_chain_head (
  singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);

CREATE INDEX audit_details_chain ON audit_details (chain_seq);

-- Managers read the audit log of their campaigns.
CREATE INDEX audit_log_campaign ON audit_log (campaign_id, chain_seq) WHERE campaign_id IS NOT NULL;
-- Rows not yet chained (including those appended before this migration), in arrival order.
CREATE INDEX audit_log_unchained ON audit_log (seq) WHERE chain_seq IS NULL;
