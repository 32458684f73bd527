// The rules for audit entries a user writes (POST /api/v1/compliance/audit-logs), pure. Such an
// entry is the caller's own statement, never the system's record: it may not use an action of the
// services' vocabulary, it concerns a campaign the caller manages (admins: any, or none), it is
// stored marked user-submitted, and its details are bounded in size and depth (they are stored as
// JSONB and hashed into the chain).
import { isServiceAction } from "../../shared/audit";
import { isUuid } from "../../shared/ids";

/** Nesting allowed in `details` (an object holding an object is depth 2). */
export const MAX_DETAILS_DEPTH = 8;
/** The largest `details`, as JSON. */
export const MAX_DETAILS_BYTES = 16 * 1024;
/** The most values (objects, arrays, strings, numbers…) in `details`. */
export const MAX_DETAILS_VALUES = 2000;

const ACTION = /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/i;
const TARGET_TYPE = /^[a-z][a-z0-9_-]*$/i;
// C0 controls and DEL: nothing a person writes in an id, and NUL cannot be stored.
const CONTROL = /[\u0000-\u001f\u007f]/;
// A UTF-16 surrogate without its pair: not text (PostgreSQL refuses it in JSONB).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What the caller sent. */
export interface SubmittedEntryInput {
  action: string;
  campaignId?: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** The entry to store, once valid. campaignId null: it concerns no campaign (admins only). */
export interface SubmittedEntry {
  action: string;
  campaignId: string | null;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
}

/** Why a string is not text that can be stored, or null. */
function textProblem(value: string): string | null {
  if (value.includes("\u0000")) return "contains a NUL character";
  if (LONE_SURROGATE.test(value)) return "contains an unpaired UTF-16 surrogate";
  return null;
}

/**
 * Why `details` cannot be stored, or null: deeper than MAX_DETAILS_DEPTH, more than
 * MAX_DETAILS_VALUES values, larger than MAX_DETAILS_BYTES as JSON, or a key or string that is not
 * storable text. Walked iteratively (no recursion), stopping at the first problem, so a value
 * nested thousands deep costs no more than its first levels.
 */
export function detailsProblem(details: unknown): string | null {
  if (details === null || typeof details !== "object" || Array.isArray(details)) return "details must be a JSON object";
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: details, depth: 1, path: "details" }];
  let values = 0;
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (++values > MAX_DETAILS_VALUES) return `details may hold at most ${MAX_DETAILS_VALUES} values`;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return `${path} ${problem}`;
      continue;
    }
    if (typeof value === "number" && !Number.isFinite(value)) return `${path} must be a finite number`;
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_DETAILS_DEPTH) return `details may be nested at most ${MAX_DETAILS_DEPTH} levels deep (${path} is deeper)`;
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        stack.push({ value: v, depth: depth + 1, path: `${path}[${i}]` });
      });
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      const problem = textProblem(k);
      if (problem) return `a key of ${path} ${problem}`;
      stack.push({ value: v, depth: depth + 1, path: `${path}.${k.slice(0, 40)}` });
    }
  }
  // Bounded above: stringifying is now safe, and tells the stored size.
  if (Buffer.byteLength(JSON.stringify(details), "utf8") > MAX_DETAILS_BYTES) return `details may be at most ${MAX_DETAILS_BYTES / 1024} KiB as JSON`;
  return null;
}

/**
 * The entry a user submits, checked and completed, or the reason it is refused (a 400). The
 * campaign is `campaignId`, or the target when the target is a campaign, or `details.campaignId`;
 * when several are given they must agree. Without a target the entry is about the campaign (or,
 * with no campaign, about the caller). Whether the caller may write about that campaign is the
 * caller's business (compliance/flows/logs.ts).
 */
export function checkSubmittedEntry(req: SubmittedEntryInput, callerId: string): SubmittedEntry | { problem: string } {
  const action = req.action.trim();
  if (!ACTION.test(action)) return { problem: 'action must look like "thing.verb" (letters, digits, "_", "-", dot-separated)' };
  if (isServiceAction(action)) {
    return {
      problem: `"${action.split(".")[0]}.*" actions are recorded by the services themselves; describe what you did in another namespace, e.g. "outreach.call_made"`,
    };
  }
  const details = req.details ?? {};
  const problem = detailsProblem(details);
  if (problem) return { problem };

  const targetType = req.targetType?.trim().toLowerCase() || undefined;
  const targetId = req.targetId?.trim() || undefined;
  if (targetType !== undefined && !TARGET_TYPE.test(targetType)) return { problem: "targetType must be a word (letters, digits, _ and -)" };
  if (targetId !== undefined) {
    const idProblem = CONTROL.test(targetId) ? "contains a control character" : textProblem(targetId);
    if (idProblem) return { problem: `targetId ${idProblem}` };
  }
  if ((targetType === undefined) !== (targetId === undefined) && targetType !== "campaign") {
    return { problem: "targetType and targetId go together" };
  }

  const named = [
    req.campaignId?.trim() || undefined,
    targetType === "campaign" ? targetId : undefined,
    typeof details.campaignId === "string" ? details.campaignId : details.campaignId === undefined ? undefined : "(not a string)",
  ].filter((c): c is string => c !== undefined);
  const campaignId = named[0] ?? null;
  if (campaignId !== null) {
    if (!isUuid(campaignId)) return { problem: "campaignId must be a campaign's UUID" };
    if (named.some((c) => c.toLowerCase() !== campaignId.toLowerCase()))
      return { problem: "campaignId, a campaign target and details.campaignId must name the same campaign" };
  }

  const campaign = campaignId?.toLowerCase() ?? null;
  const type = targetType ?? (campaign ? "campaign" : "user");
  if (type === "campaign" && campaign === null) return { problem: "a campaign target needs the campaign's id (targetId or campaignId)" };
  const id = type === "campaign" ? campaign! : (targetId ?? callerId);
  return {
    action,
    campaignId: campaign,
    targetType: type,
    targetId: id,
    // The store files an entry under details.campaignId when its target is not the campaign.
    details: campaign && type !== "campaign" ? { ...details, campaignId: campaign } : details,
  };
}
