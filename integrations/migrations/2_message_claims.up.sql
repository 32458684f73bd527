-- What a send's claim remembers of its message, so a claim whose outcome was never recorded (its
-- sender died, or Twilio timed out) can be settled against Twilio's message list before any resend.
ALTER TABLE messages ADD COLUMN to_address TEXT, ADD COLUMN from_address TEXT, ADD COLUMN body_sha256 TEXT;
