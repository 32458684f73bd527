// Campaign rules: status transitions, date ranges, audiences, time zones, partial updates, paging. Pure.
import { normalizeTimeZone } from "../../shared/time-zone";

/** A campaign's life: draft → active ⇄ paused → completed. */
export type CampaignStatus = "draft" | "active" | "paused" | "completed";

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ["draft", "active", "paused", "completed"];

/** Where each status may go next (a status "to itself" is not a transition: updates may repeat it). */
const NEXT: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ["active"],
  active: ["paused", "completed"],
  paused: ["active", "completed"],
  completed: [],
};

/** The seed's CampaignMetrics: filled by analytics later, all zeros for a new campaign. */
export interface CampaignMetrics {
  impressions: number;
  clicks: number;
  conversions: number;
  ctr: number;
  cpc: number;
  roi: number;
  sentimentScore: number;
  engagementRate: number;
}

export function emptyMetrics(): CampaignMetrics {
  return { impressions: 0, clicks: 0, conversions: 0, ctr: 0, cpc: 0, roi: 0, sentimentScore: 0, engagementRate: 0 };
}

export const BUDGET_MIN = 100;
export const BUDGET_MAX = 1_000_000;
export const NAME_MIN = 3;
export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 1000;

/** A target audience as the rules see it (the wire type in model.ts carries the same fields). */
export interface Audience {
  demographics: { ageRange: { min: number; max: number }; gender: string[]; income: string; education: string };
  interests: string[];
  locations: string[];
  platforms: string[];
}

/** The fields of a campaign a user edits. */
export interface CampaignFields<A extends Audience = Audience> {
  name: string;
  description: string;
  status: CampaignStatus;
  startDate: Date;
  endDate: Date;
  budget: number;
  targetAudience: A;
  /** IANA time zone of the campaign ("today", daily rollups, reports, contacts' quiet hours); default UTC. */
  timeZone: string;
}

/** A refused change: invalid_argument for bad values, failed_precondition for a change the campaign's state forbids. */
export interface RuleViolation {
  code: "invalid_argument" | "failed_precondition";
  message: string;
}

/** Why `from` → `to` is not allowed, or null when it is (or when it is no change). */
export function transitionError(from: CampaignStatus, to: CampaignStatus): string | null {
  if (from === to || NEXT[from].includes(to)) return null;
  const allowed = NEXT[from].length > 0 ? NEXT[from].join(" or ") : "nothing (it is final)";
  return `cannot change a campaign's status from ${from} to ${to}: from ${from} it may go to ${allowed}`;
}

/** Why the range is not a campaign's, or null. */
export function dateRangeError(start: Date, end: Date): string | null {
  if (!(start instanceof Date) || Number.isNaN(start.getTime())) return "startDate is not a valid date";
  if (!(end instanceof Date) || Number.isNaN(end.getTime())) return "endDate is not a valid date";
  if (end.getTime() <= start.getTime()) return "endDate must be after startDate";
  return null;
}

function dedupe(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values) {
    const v = raw.trim();
    const key = v.toLowerCase();
    if (v === "" || seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

/** The audience cleaned (trimmed, duplicates dropped), or why it is not valid. */
export function normalizeAudience<A extends Audience>(a: A): { ok: true; audience: A } | { ok: false; message: string } {
  const { min, max } = a.demographics.ageRange;
  if (!Number.isInteger(min) || !Number.isInteger(max)) return { ok: false, message: "targetAudience.demographics.ageRange must be whole years" };
  if (min > max) return { ok: false, message: `targetAudience.demographics.ageRange.min (${min}) is above max (${max})` };
  return {
    ok: true,
    audience: {
      ...a,
      demographics: {
        ...a.demographics,
        ageRange: { min, max },
        gender: dedupe(a.demographics.gender),
        income: a.demographics.income.trim(),
        education: a.demographics.education.trim(),
      },
      interests: dedupe(a.interests),
      locations: dedupe(a.locations),
      platforms: dedupe(a.platforms),
    },
  };
}

function cleanName(name: string): { ok: true; name: string } | { ok: false; message: string } {
  const trimmed = name.trim().replace(/\s+/g, " ");
  const length = [...trimmed].length;
  if (length < NAME_MIN || length > NAME_MAX)
    return { ok: false, message: `name must be ${NAME_MIN} to ${NAME_MAX} characters (not counting surrounding spaces)` };
  return { ok: true, name: trimmed };
}

function budgetError(budget: number): string | null {
  if (!Number.isFinite(budget) || budget < BUDGET_MIN || budget > BUDGET_MAX) return `budget must be between ${BUDGET_MIN} and ${BUDGET_MAX}`;
  return null;
}

/** Money to the cent, as stored (NUMERIC(12,2)). */
export function roundBudget(budget: number): number {
  return Math.round(budget * 100) / 100;
}

/** What a new campaign needs from its creator (the time zone defaults to UTC). */
export type NewCampaignInput<A extends Audience = Audience> = Omit<CampaignFields<A>, "status" | "timeZone"> & { timeZone?: string };

/** The canonical time zone, or the refusal. */
function checkTimeZone(name: string): { ok: true; timeZone: string } | { ok: false; message: string } {
  const tz = normalizeTimeZone(name);
  return tz
    ? { ok: true, timeZone: tz }
    : { ok: false, message: `timeZone must be an IANA time zone like "America/New_York" or "UTC" (got ${JSON.stringify(name)})` };
}

/** A new campaign's fields (status draft), cleaned, or the first rule it breaks. */
export function newCampaign<A extends Audience>(input: NewCampaignInput<A>): { ok: true; fields: CampaignFields<A> } | ({ ok: false } & RuleViolation) {
  const name = cleanName(input.name);
  if (!name.ok) return { ok: false, code: "invalid_argument", message: name.message };
  if ([...input.description].length > DESCRIPTION_MAX)
    return { ok: false, code: "invalid_argument", message: `description must be at most ${DESCRIPTION_MAX} characters` };
  const range = dateRangeError(input.startDate, input.endDate);
  if (range) return { ok: false, code: "invalid_argument", message: range };
  const budget = budgetError(input.budget);
  if (budget) return { ok: false, code: "invalid_argument", message: budget };
  const audience = normalizeAudience(input.targetAudience);
  if (!audience.ok) return { ok: false, code: "invalid_argument", message: audience.message };
  const tz = checkTimeZone(input.timeZone ?? "UTC");
  if (!tz.ok) return { ok: false, code: "invalid_argument", message: tz.message };
  return {
    ok: true,
    fields: {
      name: name.name,
      description: input.description.trim(),
      status: "draft",
      startDate: input.startDate,
      endDate: input.endDate,
      budget: roundBudget(input.budget),
      targetAudience: audience.audience,
      timeZone: tz.timeZone,
    },
  };
}

/** A partial update: absent fields stay as they are. */
export type CampaignPatch<A extends Audience = Audience> = Partial<CampaignFields<A>>;

/** The outcome of a partial update: the next fields and what changed (before/after of each changed field). */
export type PatchResult<A extends Audience = Audience> =
  | { ok: true; next: CampaignFields<A>; changed: Partial<Record<keyof CampaignFields, { before: unknown; after: unknown }>> }
  | ({ ok: false } & RuleViolation);

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Applies a partial update to a campaign's current fields. Dates are checked as a pair after
 * merging (moving only the end date before the stored start is refused), the status change must be
 * an allowed transition.
 */
export function applyPatch<A extends Audience>(current: CampaignFields<A>, patch: CampaignPatch<A>): PatchResult<A> {
  const next: CampaignFields<A> = { ...current };
  if (patch.name !== undefined) {
    const name = cleanName(patch.name);
    if (!name.ok) return { ok: false, code: "invalid_argument", message: name.message };
    next.name = name.name;
  }
  if (patch.description !== undefined) {
    if ([...patch.description].length > DESCRIPTION_MAX)
      return { ok: false, code: "invalid_argument", message: `description must be at most ${DESCRIPTION_MAX} characters` };
    next.description = patch.description.trim();
  }
  if (patch.startDate !== undefined) next.startDate = patch.startDate;
  if (patch.endDate !== undefined) next.endDate = patch.endDate;
  if (patch.startDate !== undefined || patch.endDate !== undefined) {
    const range = dateRangeError(next.startDate, next.endDate);
    if (range) return { ok: false, code: "invalid_argument", message: range };
  }
  if (patch.budget !== undefined) {
    const budget = budgetError(patch.budget);
    if (budget) return { ok: false, code: "invalid_argument", message: budget };
    next.budget = roundBudget(patch.budget);
  }
  if (patch.targetAudience !== undefined) {
    const audience = normalizeAudience(patch.targetAudience);
    if (!audience.ok) return { ok: false, code: "invalid_argument", message: audience.message };
    next.targetAudience = audience.audience;
  }
  if (patch.timeZone !== undefined) {
    const tz = checkTimeZone(patch.timeZone);
    if (!tz.ok) return { ok: false, code: "invalid_argument", message: tz.message };
    next.timeZone = tz.timeZone;
  }
  if (patch.status !== undefined) {
    const refused = transitionError(current.status, patch.status);
    if (refused) return { ok: false, code: "failed_precondition", message: refused };
    next.status = patch.status;
  }
  const changed: Partial<Record<keyof CampaignFields, { before: unknown; after: unknown }>> = {};
  for (const key of Object.keys(next) as (keyof CampaignFields)[]) {
    if (!same(current[key], next[key])) changed[key] = { before: current[key], after: next[key] };
  }
  return { ok: true, next, changed };
}

/** The page of a list: page ≥ 1 and 1 ≤ limit ≤ 100 (default 20), as rows to skip and take. */
export function pageWindow(page: number | undefined, limit: number | undefined): { page: number; limit: number; offset: number } {
  const p = page ?? 1;
  const l = limit ?? 20;
  if (!Number.isInteger(p) || p < 1) throw new RangeError("page must be a whole number ≥ 1");
  if (!Number.isInteger(l) || l < 1 || l > 100) throw new RangeError("limit must be a whole number from 1 to 100");
  return { page: p, limit: l, offset: (p - 1) * l };
}
