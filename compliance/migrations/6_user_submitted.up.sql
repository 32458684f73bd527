-- Entries a user wrote through POST /api/v1/compliance/audit-logs, as opposed to the services' own
-- record. Chained: for such an entry the flag is part of its hash (compliance/domain/chain.ts), so
-- it cannot be flipped either way without breaking the chain; entries without it hash as before.
ALTER TABLE audit_log ADD COLUMN user_submitted BOOLEAN NOT NULL DEFAULT false;
