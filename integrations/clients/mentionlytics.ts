// Mentionlytics mentions API: GET {base}/api/mentions?token=…&startDate=YYYYMMDD&endDate=YYYYMMDD
// &page_no=N&per_page=M → {"mentions": [...]}; pages start at 0, a short page is the last one.
// (The documented, token-in-query API; the token never reaches the call log, which keeps paths only.)
import log from "encore.dev/log";
import { z } from "zod";
import { ProviderError, type ProviderPolicy } from "../../shared/resilience";
import { toMention, type RawMention, type TrackedMention } from "../domain/mentions";
import { send, type CallObserver, type ErrorReader } from "./http";
import { decodeWith, describeIssues } from "./schemas";

/** A mention as Mentionlytics returns it (zod; unknown fields pass, known ones must have their type). */
export const RawMentionSchema = z.looseObject({
  id: z.union([z.number(), z.string().min(1)]),
  pub_date: z.string().refine((s) => !Number.isNaN(new Date(s).getTime()), "a date"),
  title: z.string().nullish(),
  description: z.string().nullish(),
  link: z.string().nullish(),
  source: z.string().nullish(),
  sentiment: z.union([z.string(), z.number()]).nullish(),
  lang: z.string().nullish(),
  country: z.string().nullish(),
  profile_name: z.string().nullish(),
  screen_name: z.string().nullish(),
  followers_count: z.number().nonnegative().nullish(),
  cmeta: z.record(z.string(), z.number().nullable()).nullish(),
  campaign: z.string().nullish(),
});

/** A page: the mentions array is required; each mention is checked on its own (schema above). */
const PageSchema = z.looseObject({ mentions: z.array(z.unknown()) });

/** Mentionlytics credentials and where to reach it. */
export interface MentionlyticsConfig {
  token: string;
  /** https://app.mentionlytics.com in production. */
  baseUrl: string;
}

/** A window of mentions to fetch. */
export interface MentionsQuery {
  since: Date;
  until: Date;
  perPage?: number;
  /** Safety stop: never more than this many pages in one call. */
  maxPages?: number;
}

/** Mentions of a window, mapped, and how the fetch went. */
export interface MentionsResult {
  mentions: TrackedMention[];
  pages: number;
  /** Entries without an id or a valid date, dropped. */
  skipped: number;
  /** True when maxPages stopped the fetch before the last page. */
  truncated: boolean;
}

export const readMentionlyticsError: ErrorReader = (_status, body) => {
  const b = body as { error?: unknown; message?: unknown } | null;
  const message = typeof b?.error === "string" ? b.error : typeof b?.message === "string" ? b.message : null;
  return message ? { message } : null;
};

const decodePage = decodeWith(PageSchema, "Mentionlytics mentions page");

/**
 * The page's mentions that match RawMentionSchema. A few odd entries are skipped (counted, logged);
 * a page where none match is a drift of the API: a malformed ProviderError, nothing stored.
 */
export function checkMentions(raw: unknown[]): { mentions: RawMention[]; skipped: number } {
  const mentions: RawMention[] = [];
  let firstIssue = "";
  for (const r of raw) {
    const parsed = RawMentionSchema.safeParse(r);
    if (parsed.success) mentions.push(parsed.data as RawMention);
    else firstIssue ||= describeIssues(parsed.error, 3);
  }
  const skipped = raw.length - mentions.length;
  if (skipped > 0 && mentions.length === 0) {
    log.warn("provider payload does not match its schema", {
      provider: "mentionlytics",
      payload: "Mentionlytics mention",
      issues: firstIssue,
      entries: raw.length,
    });
    throw new ProviderError("mentionlytics", "malformed", `unexpected answer: no mention of the page matches its schema (${firstIssue})`);
  }
  if (skipped > 0) log.warn("Mentionlytics mentions skipped: they do not match the schema", { skipped, issues: firstIssue });
  return { mentions, skipped };
}

/** YYYYMMDD in UTC, as Mentionlytics takes dates. */
export function ymd(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, "");
}

export class MentionlyticsClient {
  constructor(
    private readonly config: MentionlyticsConfig,
    private readonly policy: ProviderPolicy,
    private readonly observe?: CallObserver,
  ) {}

  /** One page of the account's mentions between two dates (inclusive, by day). */
  async page(since: Date, until: Date, pageNo: number, perPage: number, signal?: AbortSignal): Promise<unknown[]> {
    const q = new URLSearchParams({ token: this.config.token, startDate: ymd(since), endDate: ymd(until), page_no: String(pageNo), per_page: String(perPage) });
    const res = await send(
      this.policy,
      { method: "GET", url: `${this.config.baseUrl.replace(/\/$/, "")}/api/mentions?${q}`, headers: { accept: "application/json" } },
      { readError: readMentionlyticsError, decode: decodePage, observe: this.observe, signal },
    );
    return res.body.mentions;
  }

  /** Every mention of the window, following pages until a short one. */
  async mentions(q: MentionsQuery, signal?: AbortSignal): Promise<MentionsResult> {
    const perPage = q.perPage ?? 100;
    const maxPages = q.maxPages ?? 50;
    const out = new Map<string, TrackedMention>();
    let skipped = 0;
    let pages = 0;
    for (;;) {
      const raw = await this.page(q.since, q.until, pages, perPage, signal);
      pages++;
      const checked = checkMentions(raw);
      skipped += checked.skipped;
      for (const r of checked.mentions) {
        const m = toMention(r);
        if (m) out.set(m.id, m);
        else skipped++;
      }
      if (raw.length < perPage) return { mentions: [...out.values()], pages, skipped, truncated: false };
      if (pages >= maxPages) return { mentions: [...out.values()], pages, skipped, truncated: true };
    }
  }
}
