-- Accounts: the seed's `users` table. Permissions are not stored: they follow from the role
-- (shared/permissions.ts), so a stored copy could only go stale.
CREATE TABLE users (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stored lower-cased and trimmed (auth normalises before every write and lookup).
  email VARCHAR(255) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  role VARCHAR(50) NOT NULL CHECK (role IN ('admin', 'manager', 'analyst', 'viewer')),
  -- Bumped when every session of the account must end (logout, password change, deletion):
  -- access tokens carry the version they were issued under.
  session_version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_login_at TIMESTAMPTZ,
  -- Soft delete: the row stays for the audit trail; the email becomes free again.
  deleted_at TIMESTAMPTZ
);

-- One live account per email (login and registration look it up).
CREATE UNIQUE INDEX users_email_live ON users (email) WHERE deleted_at IS NULL;
-- The "is there an admin?" check at start-up, registration and role changes.
CREATE INDEX users_live_admins ON users (id) WHERE deleted_at IS NULL AND role = 'admin';
-- Listing users, newest first.
CREATE INDEX users_live_created ON users (created_at DESC, id) WHERE deleted_at IS NULL;

-- Refresh tokens: opaque to the client, stored as SHA-256 hashes. Each sign-in starts a family;
-- every refresh marks the presented token used and adds its successor to the family. Presenting a
-- used token again means it was copied: the whole family is revoked.
CREATE TABLE refresh_tokens (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES users (id),
  family_id UUID NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ,
  revoked_reason TEXT
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_live ON refresh_tokens (user_id) WHERE revoked_at IS NULL;
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

-- Login throttling counters, used when the shared cache (Redis) cannot answer.
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_ends_at TIMESTAMPTZ NOT NULL,
  locked_until TIMESTAMPTZ
);
