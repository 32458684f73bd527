-- Addresses each account has signed in from (a password sign-in, registration or password change
-- that succeeded there). Login throttling spares them the account-wide ceiling (auth/domain/throttle.ts),
-- so strangers guessing from elsewhere cannot lock the owner out where they usually sign in.
-- Personal data: forgotten after 90 days unused (auth-cleanup), and with the account.
CREATE TABLE login_addresses (
  user_id UUID NOT NULL REFERENCES users (id),
  address TEXT NOT NULL,
  first_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, address)
);
CREATE INDEX login_addresses_seen ON login_addresses (last_seen_at);
