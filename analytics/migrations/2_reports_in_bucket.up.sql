-- Exported PDFs move out of the database into the `analytics-reports` bucket (files.ts): a row
-- keeps the report's metadata, its size and the key of its object. `pdf` stays for the rows
-- written before this migration until the `analytics-reports-to-bucket` job has moved them (it
-- uploads the bytes, records the key and clears the column); every row has one or the other.
ALTER TABLE reports ADD COLUMN object_key TEXT;
ALTER TABLE reports ADD COLUMN size_bytes INTEGER;
ALTER TABLE reports ALTER COLUMN pdf DROP NOT NULL;
ALTER TABLE reports ADD CONSTRAINT reports_file_somewhere CHECK (pdf IS NOT NULL OR object_key IS NOT NULL);
-- What the job still has to move; empty once it is done.
CREATE INDEX reports_unmoved ON reports (created_at, id) WHERE pdf IS NOT NULL;

-- Objects whose rows are gone (retention purge), queued in the transaction that deleted the rows
-- and removed from the bucket after it commits; what a failed removal leaves is retried by the
-- job, so no file outlives its row.
CREATE TABLE object_deletions (
  object_key TEXT PRIMARY KEY,
  queued_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
