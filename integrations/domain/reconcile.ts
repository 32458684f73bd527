// Finding out whether a send whose outcome we never recorded reached Twilio. Twilio has no
// idempotency key for messages, so a claim left open (its sender died, or Twilio timed out and may
// have accepted the message) is settled by looking at what Twilio lists for the recipient: a message
// from our number with the same text, created after the claim was first taken, is that send.
import { createHash } from "node:crypto";

/** The text's fingerprint kept with a claim (the text itself stays with the caller). */
export function bodyFingerprint(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}

/** What a claim remembers of the message it guards. */
export interface OpenClaim {
  /** The address as Twilio sees it (`+1…` or `whatsapp:+1…`). */
  to: string;
  from: string;
  bodySha256: string;
  claimedAt: Date;
}

/** A message Twilio lists. */
export interface ListedMessage {
  sid: string;
  status: string;
  to: string;
  from: string;
  body: string;
  dateCreated: Date | null;
}

/** Twilio's dates have second precision and its clock is not ours: this much earlier still matches. */
export const CLOCK_SKEW_MS = 60_000;

/** The listed message that is the claim's send, or null when Twilio shows none. */
export function sentForClaim(listed: readonly ListedMessage[], claim: OpenClaim): ListedMessage | null {
  const since = claim.claimedAt.getTime() - CLOCK_SKEW_MS;
  return (
    listed.find(
      (m) =>
        m.to === claim.to &&
        m.from === claim.from &&
        m.status !== "failed" &&
        m.status !== "canceled" &&
        (m.dateCreated === null || m.dateCreated.getTime() >= since) &&
        bodyFingerprint(m.body) === claim.bodySha256,
    ) ?? null
  );
}
