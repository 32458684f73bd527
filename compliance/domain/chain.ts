// The audit log's hash chain (pure). Each entry's hash covers its canonical content (ids, action,
// times, the hash of its details) and the previous entry's hash, so editing, inserting or deleting
// any entry breaks every later link. Details (which may name people) are kept OUT of the chain:
// only their hash is chained, so the details themselves can be erased (retention, GDPR erasure)
// while the chain still verifies; such entries are reported as redacted, not broken.
import { createHash } from "node:crypto";

/** The hash that precedes the first entry. */
export const GENESIS_HASH = "0".repeat(64);

/** The chained part of one audit entry: pseudonymous ids and a hash of the details, nothing personal. */
export interface ChainedEntry {
  seq: number;
  id: string;
  occurredAt: Date;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string;
  service: string;
  campaignId: string | null;
  detailsHash: string;
  /** Written by a user through the API, not recorded by a service (absent: false). */
  userSubmitted?: boolean;
}

/** JSON with object keys sorted at every level (Dates as ISO strings): one text per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(JSON.parse(JSON.stringify(value ?? null))));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The hash of an entry's details (chained in place of the details themselves). */
export function detailsHash(details: Record<string, unknown>): string {
  return sha256(canonicalJson(details));
}

/**
 * The entry's hash: over the previous hash and the entry's canonical content. A user-submitted
 * entry's content ends with a marker, so the flag is chained; the services' entries hash exactly as
 * they did before the flag existed.
 */
export function entryHash(e: ChainedEntry, prevHash: string): string {
  const content: unknown[] = [
    e.seq,
    e.id,
    e.occurredAt.toISOString(),
    e.actorId,
    e.action,
    e.targetType,
    e.targetId,
    e.requestId,
    e.service,
    e.campaignId,
    e.detailsHash,
  ];
  if (e.userSubmitted) content.push("user-submitted");
  return sha256(`${prevHash}\n${JSON.stringify(content)}`);
}

/** A stored entry as verification reads it: the chained content, its stored links, and its details if still held. */
export interface StoredEntry extends ChainedEntry {
  prevHash: string;
  hash: string;
  /** null when the details were erased (retention or erasure): the entry is redacted. */
  details: Record<string, unknown> | null;
}

export type BreakReason = "content_altered" | "details_altered" | "link_broken" | "head_mismatch";

/** Where the chain first fails, and why. */
export interface ChainBreak {
  seq: number;
  logId: string;
  reason: BreakReason;
  message: string;
}

/**
 * Walks the chain one entry at a time (entries in seq order). Stops recording at the first break:
 * later entries are still counted but not judged.
 */
export class ChainVerifier {
  checked = 0;
  redacted = 0;
  lastHash = GENESIS_HASH;
  lastSeq = 0;
  firstBreak: ChainBreak | null = null;

  add(e: StoredEntry): void {
    this.checked++;
    if (e.details === null) this.redacted++;
    if (this.firstBreak) return;
    if (e.prevHash !== this.lastHash) {
      this.firstBreak = {
        seq: e.seq,
        logId: e.id,
        reason: "link_broken",
        message: `entry ${e.seq} does not follow entry ${this.lastSeq || "(start)"}: an entry before it was deleted, inserted or rewritten`,
      };
    } else if (entryHash(e, e.prevHash) !== e.hash) {
      this.firstBreak = { seq: e.seq, logId: e.id, reason: "content_altered", message: `entry ${e.seq}'s content does not match its hash` };
    } else if (e.details !== null && detailsHash(e.details) !== e.detailsHash) {
      this.firstBreak = { seq: e.seq, logId: e.id, reason: "details_altered", message: `entry ${e.seq}'s details do not match their chained hash` };
    }
    this.lastHash = e.hash;
    this.lastSeq = e.seq;
  }

  /** Checks the recorded head (last seq and hash written with every append): catches truncation of the newest entries. */
  finish(head: { seq: number; hash: string } | null): void {
    if (this.firstBreak) return;
    const headSeq = head?.seq ?? 0;
    const headHash = head?.hash ?? GENESIS_HASH;
    if (headSeq !== this.lastSeq || headHash !== this.lastHash) {
      this.firstBreak = {
        seq: this.lastSeq,
        logId: "",
        reason: "head_mismatch",
        message: `the chain ends at entry ${this.lastSeq || "(none)"} but its recorded head is entry ${headSeq}: the newest entries were deleted or rewritten`,
      };
    }
  }
}
