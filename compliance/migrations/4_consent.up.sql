-- The messaging consent registry: the current opt-out state of each phone number (kept, under the
-- legal obligation to honour it, until the person opts back in), and every change as an event
-- holding only a hash of the number (for counts in reports).
CREATE TABLE message_opt_outs (
  address TEXT PRIMARY KEY,
  opted_out BOOLEAN NOT NULL,
  keyword TEXT NOT NULL,
  channel TEXT NOT NULL,
  changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE consent_events (
  id BIGSERIAL PRIMARY KEY,
  address_hash TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('opt_out', 'opt_in')),
  keyword TEXT NOT NULL,
  channel TEXT NOT NULL,
  -- Twilio's message sid: a redelivered webhook is recorded once.
  source_id TEXT UNIQUE,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
