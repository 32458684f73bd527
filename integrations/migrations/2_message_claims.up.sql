-- What a send's claim remembers of its message, so a claim whose outcome was never recorded (its
-- sender died, or Twilio timed out) can be settled against Twilio's message list before any resend.
ALTER TABLE messages ADD COLUMN to_address TEXT, ADD COLUMN from_address TEXT, ADD COLUMN body_sha256 TEXT;
-- Who holds the claim: a caller whose insert's answer was lost (the connection dropped after the
-- commit) can release exactly its own claim, never another caller's.
ALTER TABLE messages ADD COLUMN claim_owner TEXT;
