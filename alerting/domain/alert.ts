// What an alert is and whom it reaches: severities, crisis wording, recipients by tier, quiet hours
// and digests, address checks, the delivery retry schedule. Pure: no I/O, no configuration read here.
import type { AlertType, Severity } from "../../shared/alert-types";
import { quietUntil } from "../../shared/time-zone";

export type { AlertType, Severity };
export const SEVERITIES: readonly Severity[] = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];
export type Channel = "SMS" | "WHATSAPP" | "EMAIL" | "SLACK" | "PUSH";
export const CHANNELS: readonly Channel[] = ["SMS", "WHATSAPP", "EMAIL", "SLACK", "PUSH"];

/** The seed's rule: a crisis scoring above 0.8 is CRITICAL, any other HIGH. */
export function crisisSeverity(crisisScore: number): Severity {
  return crisisScore > 0.8 ? "CRITICAL" : "HIGH";
}

/** The facts of a crisis (the seed's CrisisAlert). */
export interface CrisisFacts {
  crisisScore: number;
  triggers: string[];
  affectedPlatforms: string[];
  estimatedReach: number;
  sentimentImpact: number;
  recommendedActions: string[];
}

/** The title and body of a crisis alert. */
export function crisisWording(c: CrisisFacts): { title: string; message: string } {
  const triggers = c.triggers.length ? c.triggers.join(", ") : "crisis detected";
  const title = `CRISIS ALERT: ${triggers}`.slice(0, 500);
  const parts = [
    `Crisis score ${Math.round(c.crisisScore * 100)}%`,
    c.affectedPlatforms.length ? `on ${c.affectedPlatforms.join(", ")}` : "",
    `estimated reach ${c.estimatedReach.toLocaleString("en-US")}`,
    `sentiment impact ${c.sentimentImpact > 0 ? "+" : ""}${c.sentimentImpact.toFixed(2)}`,
  ].filter(Boolean);
  let message = `${parts.join(", ")}.`;
  if (c.recommendedActions.length) message += ` Recommended: ${c.recommendedActions.join("; ")}.`;
  return { title, message };
}

/** An alert contact as campaigns reports it. */
export interface ContactRef {
  name: string;
  channel: Channel;
  address: string;
  minSeverity: Severity;
  /** Quiet hours (minutes of the local day) in the contact's time zone (their own, else the campaign's). */
  quiet?: { start: number; end: number; timeZone: string } | null;
  /** Alerts below HIGH as a digest. */
  digest?: boolean;
}

/** One delivery to create: a channel, a recipient, the tier that reaches it. */
export interface PlannedDelivery {
  channel: Channel;
  recipient: string;
  recipientName: string;
  tier: number;
  /** Not before this time (the contact's quiet hours end then). */
  notBefore?: Date;
  /** Waits for the contact's next digest instead of being sent alone. */
  digest?: boolean;
}

/**
 * The deliveries of an alert of `severity` to the campaign's contacts (those it reaches: minSeverity
 * at most the alert's). A CRITICAL alert escalates: tier 1 is the duty team (contacts following HIGH
 * or lower), tier 2 the contacts who asked to be reached for CRITICAL only (leadership), reached
 * when tier 1 has not acknowledged in time. When tier 1 is empty, tier 2 is reached at once. Other
 * severities reach everyone at once. Duplicates (same channel and address) are dropped. A contact in
 * their quiet hours (at `now`, in their time zone) gets anything below CRITICAL when they end;
 * one who asked for a digest gets alerts below HIGH in it.
 */
export function planDeliveries(severity: Severity, contacts: ContactRef[], now: Date = new Date()): { deliveries: PlannedDelivery[]; maxTier: number } {
  const reached = contacts.filter((c) => SEVERITIES.indexOf(c.minSeverity) <= SEVERITIES.indexOf(severity));
  const escalates = severity === "CRITICAL" && reached.some((c) => c.minSeverity !== "CRITICAL");
  const seen = new Set<string>();
  const deliveries: PlannedDelivery[] = [];
  for (const c of reached) {
    const key = `${c.channel}\u0000${c.address}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const d: PlannedDelivery = { channel: c.channel, recipient: c.address, recipientName: c.name, tier: escalates && c.minSeverity === "CRITICAL" ? 2 : 1 };
    if (c.digest && SEVERITIES.indexOf(severity) < SEVERITIES.indexOf("HIGH")) d.digest = true;
    const until = severity !== "CRITICAL" && c.quiet ? quietUntil(now, c.quiet.timeZone, c.quiet.start, c.quiet.end) : null;
    if (until) d.notBefore = until;
    deliveries.push(d);
  }
  return { deliveries, maxTier: Math.max(1, ...deliveries.map((d) => d.tier)) };
}

// E.164 (as campaigns stores it), a plain email address, a Slack channel name or id.
const E164 = /^\+[1-9]\d{7,14}$/;
const EMAIL = /^[^\s@]{1,64}@(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const SLACK = /^(#[a-z0-9][a-z0-9_-]{0,79}|[CG][A-Z0-9]{8,12})$/;

/** The recipient in stored form, or why it is not an address on that channel. */
export function normalizeRecipient(channel: Channel, recipient: string): { ok: true; recipient: string } | { ok: false; message: string } {
  const raw = recipient.trim();
  switch (channel) {
    case "SMS":
    case "WHATSAPP": {
      const number = raw.replace(/^whatsapp:/i, "").replace(/[\s().-]/g, "");
      return E164.test(number)
        ? { ok: true, recipient: number }
        : { ok: false, message: `${channel} recipients are E.164 phone numbers like +14155550123 (got "${recipient}")` };
    }
    case "EMAIL": {
      const email = raw.toLowerCase();
      return email.length <= 254 && EMAIL.test(email)
        ? { ok: true, recipient: email }
        : { ok: false, message: `EMAIL recipients are email addresses (got "${recipient}")` };
    }
    case "SLACK":
      return SLACK.test(raw)
        ? { ok: true, recipient: raw }
        : { ok: false, message: `SLACK recipients are channels like #crisis-room or channel ids (got "${recipient}")` };
    case "PUSH":
      return raw.length > 0 && raw.length <= 200 ? { ok: true, recipient: raw } : { ok: false, message: "PUSH recipients are 1-200 characters" };
  }
}

/** When a failed delivery is tried again. */
export interface RetrySchedule {
  /** Attempts in all (the first one included) before a delivery is marked failed. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * What happens after failed attempt number `attempts` (1-based): another try after an exponential
 * delay with ±20 % jitter (`random` in [0, 1)), or give up. Permanent errors give up at once.
 */
export function afterFailure(
  schedule: RetrySchedule,
  attempts: number,
  permanent: boolean,
  random: number,
): { retry: true; delayMs: number } | { retry: false } {
  if (permanent || attempts >= schedule.maxAttempts) return { retry: false };
  const exp = Math.min(schedule.maxDelayMs, schedule.baseDelayMs * 2 ** (attempts - 1));
  return { retry: true, delayMs: Math.round(exp * (0.8 + 0.4 * random)) };
}

/** How long a delivery may wait on deferrals (see afterDeferral) before they count as attempts. */
export const DEFER_WINDOW_MS = 30 * 60_000;

/**
 * What happens after a send that could not be tried (another send holds it, our side unavailable):
 * try again after the wait asked for (with up to +20 % jitter, at least 0.5 s, at most a minute)
 * without counting an attempt, while the alert is younger than DEFER_WINDOW_MS; null after that (an
 * ordinary failure: it counts, so a delivery never waits forever).
 */
export function afterDeferral(retryAfterMs: number, alertAgeMs: number, random: number): { delayMs: number } | null {
  if (alertAgeMs >= DEFER_WINDOW_MS) return null;
  return { delayMs: Math.round(Math.min(60_000, Math.max(500, retryAfterMs)) * (1 + 0.2 * random)) };
}

/**
 * The alert's status once no delivery is pending or sending any more (held deliveries wait for
 * escalation). An alert without any delivery had nobody to reach ("no_contacts"); one whose
 * deliveries were all skipped or held back reached nobody: failed.
 */
export function settledStatus(statuses: string[]): "delivered" | "partial" | "failed" | "no_contacts" | null {
  if (statuses.length === 0) return "no_contacts";
  // Skipped deliveries (opted-out recipients) were settled without sending: they count as neither.
  if (statuses.filter((s) => s !== "held" && s !== "cancelled" && s !== "skipped").length === 0) return "failed";
  if (statuses.some((s) => s === "pending" || s === "sending")) return null;
  const sent = statuses.filter((s) => s === "sent").length;
  const failed = statuses.filter((s) => s === "failed").length;
  if (failed === 0) return "delivered";
  return sent === 0 ? "failed" : "partial";
}
