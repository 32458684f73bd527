-- Uploaded files move out of the database into the `intelligence-documents` bucket (files.ts): a row
-- keeps the document's metadata and the key of its object. `content` stays for the rows written
-- before this migration until the `intelligence-documents-to-bucket` job has moved them (it uploads
-- the bytes, records the key and clears the column); every row has one or the other.
ALTER TABLE documents ADD COLUMN object_key TEXT;
ALTER TABLE documents ALTER COLUMN content DROP NOT NULL;
ALTER TABLE documents ADD CONSTRAINT documents_file_somewhere CHECK (content IS NOT NULL OR object_key IS NOT NULL);
-- What the job still has to move; empty once it is done.
CREATE INDEX documents_unmoved ON documents (uploaded_at, id) WHERE content IS NOT NULL;

-- Objects whose rows are gone (retention purge, erasure), queued in the transaction that deleted the
-- rows and removed from the bucket after it commits; what a failed removal leaves is retried by
-- the job, so no file outlives its row.
CREATE TABLE object_deletions (
  object_key TEXT PRIMARY KEY,
  queued_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
