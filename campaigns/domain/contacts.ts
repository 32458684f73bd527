// Alert contacts: who alerting reaches for a campaign, on which channel, from which severity, and
// their preferences (quiet hours in their own time zone, a digest below HIGH). Pure.
import { normalizeTimeZone, parseClock } from "../../shared/time-zone";

/** The channels of the seed's AlertChannel that reach a person or a room (PUSH goes to the app's own users). */
export type ContactChannel = "SMS" | "WHATSAPP" | "EMAIL" | "SLACK";

/** The seed's alert severities, lowest first. */
export type Severity = "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
export const SEVERITIES: readonly Severity[] = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];

/** At most this many contacts per campaign. */
export const MAX_CONTACTS = 100;

/** True when an alert of `severity` reaches a contact who asked for `minSeverity` and above. */
export function severityAtLeast(severity: Severity, minSeverity: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(minSeverity);
}

// E.164: a plus, a country code not starting with 0, at most 15 digits in all. Fewer than 8 digits
// is no real subscriber number anywhere.
const E164 = /^\+[1-9]\d{7,14}$/;
// Deliberately plain: one @, no spaces, a dotted domain with a TLD of letters. Delivery proves the rest.
const EMAIL = /^[^\s@]{1,64}@(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// Slack: "#name" (lower-case letters, digits, - and _, up to 80) or a channel id (C…/G…).
const SLACK_NAME = /^#[a-z0-9][a-z0-9_-]{0,79}$/;
const SLACK_ID = /^[CG][A-Z0-9]{8,12}$/;

/** The address in its stored form, or why it is not an address on that channel. */
export function normalizeAddress(channel: ContactChannel, address: string): { ok: true; address: string } | { ok: false; message: string } {
  const raw = address.trim();
  switch (channel) {
    case "SMS":
    case "WHATSAPP": {
      // People write numbers with spaces, dashes, dots and brackets; Twilio's WhatsApp form has a prefix.
      const number = raw.replace(/^whatsapp:/i, "").replace(/[\s().-]/g, "");
      if (!E164.test(number)) return { ok: false, message: `${channel} needs a phone number in E.164 form, like +14155550123 (got "${address}")` };
      return { ok: true, address: number };
    }
    case "EMAIL": {
      const email = raw.toLowerCase();
      if (email.length > 254 || !EMAIL.test(email)) return { ok: false, message: `EMAIL needs an email address like ops@campaign.org (got "${address}")` };
      return { ok: true, address: email };
    }
    case "SLACK": {
      if (SLACK_ID.test(raw)) return { ok: true, address: raw };
      const name = raw.toLowerCase();
      if (!SLACK_NAME.test(name)) return { ok: false, message: `SLACK needs a channel like #crisis-room or a channel id like C0123ABCD (got "${address}")` };
      return { ok: true, address: name };
    }
  }
}

/** A contact's preferences as requested. */
export interface PreferencesInput {
  quietHours?: { start: string; end: string };
  timeZone?: string;
  digest?: boolean;
}

/** The preferences in stored form (quiet hours as minutes of the day), or why they are not valid. */
export function contactPreferences(
  p: PreferencesInput,
):
  | { ok: true; preferences: { quietStart: number | null; quietEnd: number | null; timeZone: string | null; digest: boolean } }
  | { ok: false; message: string } {
  let quietStart: number | null = null;
  let quietEnd: number | null = null;
  if (p.quietHours !== undefined) {
    quietStart = parseClock(p.quietHours.start);
    quietEnd = parseClock(p.quietHours.end);
    if (quietStart === null || quietEnd === null)
      return { ok: false, message: `quietHours are "HH:MM" on a 24-hour clock, like {"start": "22:00", "end": "07:00"}` };
    if (quietStart === quietEnd) return { ok: false, message: "quietHours must not start and end at the same time" };
  }
  let timeZone: string | null = null;
  if (p.timeZone !== undefined) {
    timeZone = normalizeTimeZone(p.timeZone);
    if (!timeZone) return { ok: false, message: `timeZone must be an IANA time zone like "Europe/Paris" (got ${JSON.stringify(p.timeZone)})` };
  }
  return { ok: true, preferences: { quietStart, quietEnd, timeZone, digest: p.digest ?? false } };
}
