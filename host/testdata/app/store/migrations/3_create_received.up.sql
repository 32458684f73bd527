CREATE TABLE received (
  id SERIAL PRIMARY KEY,
  subscription TEXT NOT NULL,
  message_id TEXT NOT NULL,
  attempt INT NOT NULL,
  name TEXT NOT NULL,
  at_is_date BOOLEAN NOT NULL,
  had_auth BOOLEAN NOT NULL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
