-- Sign-in with OpenID Connect providers (Google, Microsoft Entra, any provider found by discovery).

-- Accounts created through a provider get a random password hash nobody knows: false marks them,
-- so that their last linked identity cannot be removed.
ALTER TABLE users ADD COLUMN password_set BOOLEAN NOT NULL DEFAULT true;

-- A provider identity (issuer's subject) linked to an account. One account may have several.
CREATE TABLE user_identities (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES users (id),
  provider VARCHAR(40) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  -- The email the provider gave when it was linked (shown to the user).
  email VARCHAR(255),
  linked_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_used_at TIMESTAMPTZ,
  UNIQUE (provider, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- Authorization requests under way: state (hashed), nonce and PKCE verifier, used once, 10 minutes.
CREATE TABLE oauth_flows (
  state_hash TEXT PRIMARY KEY,
  provider VARCHAR(40) NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  -- The hash of the flow token given to the frontend that started the flow.
  binding_hash TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX oauth_flows_expiry ON oauth_flows (expires_at);

-- One-time codes the callback hands the frontend (hashed), redeemed once for War Room's tokens.
CREATE TABLE oauth_codes (
  code_hash TEXT PRIMARY KEY,
  user_id UUID NOT NULL REFERENCES users (id),
  provider VARCHAR(40) NOT NULL,
  binding_hash TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);

-- Email domains whose accounts must sign in with a provider: password sign-in is refused for them.
CREATE TABLE sso_domains (
  domain VARCHAR(255) PRIMARY KEY,
  created_by UUID,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
